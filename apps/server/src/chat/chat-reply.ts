import { unreachable, type Message } from '@boocode/protocol';
import { saveMessage, setChatSeq, type Sql } from '@boocode/db';
import type { ChatEventInput, ChatStream } from './chat-stream.ts';
import type { ReplyEvent, ReplySink, ReplyStore } from './reply-run.ts';

/** A chat's side of the reply seam (see reply-run.ts): its events and its row. */

/** A reply's events as the chat's events, seq-numbered by its stream. */
export function chatSink(
  stream: ChatStream,
  { messageId, message }: { messageId: string; message: () => Message },
): ReplySink {
  return { emit: (ev) => stream.emit(chatEvent(ev, messageId, message)) };
}

function chatEvent(ev: ReplyEvent, messageId: string, message: () => Message): ChatEventInput {
  switch (ev.type) {
    case 'part.delta':
      return { ...ev, type: 'chat.part.delta', messageId };
    case 'part.added':
      return { ...ev, type: 'chat.part.added', messageId };
    case 'part.updated':
      return { ...ev, type: 'chat.part.updated', messageId };
    case 'parts.replaced':
      return { type: 'chat.message.updated', message: { ...message(), parts: ev.parts } };
    case 'finished':
      return { ...ev, type: 'chat.message.finished', messageId };
    default:
      return unreachable(ev);
  }
}

/** Writes the reply's message and the seq it reflects, in one transaction. */
export function chatStore(sql: Sql, stream: ChatStream, messageId: string): ReplyStore {
  return {
    async save(state) {
      // The seq of the events this state reflects: taken before anything else is emitted.
      const seq = stream.seq;
      await sql.begin(async (tx) => {
        await saveMessage(tx, messageId, state);
        await setChatSeq(tx, stream.chatId, seq);
      });
    },
  };
}
