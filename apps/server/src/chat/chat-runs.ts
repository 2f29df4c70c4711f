import type { FastifyBaseLogger } from 'fastify';
import type { Chat, Message, ModelCall } from '@boocode/protocol';
import {
  addChatUsage,
  appendMessage,
  getChat,
  pipelinedTransaction,
  publicChat,
  updateChat,
  type Sql,
} from '@boocode/db';
import { randomUUID } from 'node:crypto';
import { chatSink, chatStore } from './chat-reply.ts';
import type { ChatStreams } from './chat-streams.ts';
import type { ModelStreamer } from './model-client.ts';
import { costOf, type Prices } from './pricing.ts';
import { ReplyRun, type StopReason } from './reply-run.ts';
import type { ReplyContext, ReplyOp } from './reply-ops.ts';
import { chatSums } from './usage.ts';

export const DEFAULT_TITLE = 'New chat';

/** A reply running in a chat. */
export interface ChatRun {
  messageId: string;
  reply: ReplyRun;
  /** Settles once the reply is finished and written, and the chat's totals updated. */
  done: Promise<void>;
}

export interface ChatRunsDeps {
  sql: Sql;
  models: ModelStreamer;
  prices: Prices;
  log: FastifyBaseLogger;
  streams: ChatStreams;
  onChatsChanged: (chat: Chat | null, deletedId: string | null) => void;
  /** Told when a reply (not a compaction) has ended and been written. */
  afterReply: (chatId: string, ended: { model: string; reply: ReplyRun }) => void;
}

/**
 * The replies running in chats, at most one per chat: each starts with its rows
 * written in one round trip, runs as a ReplyRun whose events go to the chat's
 * stream, and ends with the chat's totals updated.
 */
export class ChatRuns {
  private readonly runs = new Map<string, ChatRun>();
  /**
   * Whether a chat has a run. A field, not an arrow made in start(): the trim timer holds it
   * for a minute, and a closure made there would hold the whole run (its reply, its turns).
   */
  private readonly running = (chatId: string) => this.runs.has(chatId);

  constructor(private readonly deps: ChatRunsDeps) {}

  /** The chat's run, until it has ended and been written. */
  get(chatId: string): ChatRun | undefined {
    return this.runs.get(chatId);
  }

  /** Whether a reply is being written (its finished event has not gone out). */
  isRunning(chatId: string): boolean {
    const run = this.runs.get(chatId);
    return !!run && !run.reply.finished;
  }

  /** Aborts the chat's run, if any, and waits until it has ended and been written. */
  async stop(chatId: string, reason: StopReason): Promise<boolean> {
    const run = this.runs.get(chatId);
    if (!run) return false;
    run.reply.abort.abort(reason);
    await run.done;
    return true;
  }

  /** Ends every run as `interrupted`, with what arrived written down. */
  async shutdown(): Promise<void> {
    const runs = [...this.runs.values()];
    for (const r of runs) r.reply.abort.abort('shutdown' satisfies StopReason);
    await Promise.all(runs.map((r) => r.done));
  }

  /**
   * Starts a reply: writes the op's own changes, the streaming assistant message
   * and the chat's model, title and seq in one transaction, and emits their
   * events. The model request goes out at once, in parallel with the writes,
   * but its body is read only after them: so the order of events stays exact,
   * and a fast endpoint cannot flood the event loop while the writes wait.
   */
  async start(ctx: ReplyContext, op: ReplyOp): Promise<{ messageId: string }> {
    const { stream, chat, model } = ctx;
    let open: (ok: boolean) => void = () => {};
    const messageId = randomUUID();
    let message: Message | null = null;
    const reply = new ReplyRun({
      models: this.deps.models,
      model,
      price: (usage) => costOf(this.deps.prices, model, usage),
      log: this.deps.log,
      ready: new Promise<boolean>((r) => (open = r)),
      sink: chatSink(stream, { messageId, message: () => message! }),
      store: chatStore(this.deps.sql, stream, messageId),
    });
    const run: ChatRun = { messageId, reply, done: Promise.resolve() };
    this.runs.set(stream.chatId, run);
    run.done = reply
      .execute(op.body)
      .then(async (written) => {
        if (written) await this.finishChat(stream.chatId, reply.usage.calls);
      })
      .finally(() => {
        this.runs.delete(stream.chatId);
        this.deps.streams.trimLater(stream, this.running);
        // A compaction's marker is no reply to compact after.
        if (op.role === 'assistant') this.deps.afterReply(stream.chatId, { model, reply });
      });
    try {
      const title = op.title && chat.title === DEFAULT_TITLE ? titleFrom(op.title) : undefined;
      // One round trip: the op's statements, the reply's row and the chat's update.
      const [events, assistant, updated] = await pipelinedTransaction(this.deps.sql, (tx) =>
        Promise.all([
          op.write(tx),
          appendMessage(tx, {
            id: messageId,
            chatId: chat.id,
            role: op.role,
            status: 'streaming',
            parts: [],
            model,
          }),
          updateChat(tx, chat.id, { model, title, seq: stream.seq + op.events + 1 }),
        ]),
      );
      for (const ev of events) stream.emit(ev);
      message = assistant;
      stream.emit({ type: 'chat.message.created', message: assistant });
      open(true);
      if (updated) this.deps.onChatsChanged(publicChat(updated), null);
      return { messageId: assistant.id };
    } catch (err) {
      // Nothing was written: the reply never existed.
      reply.abort.abort('cancel' satisfies StopReason);
      open(false);
      await run.done;
      throw err;
    }
  }

  /** Adds a finished reply's use to the chat's totals, and tells the lists it is not running. */
  private async finishChat(chatId: string, calls: ModelCall[]): Promise<void> {
    try {
      const chat = calls.length
        ? await addChatUsage(this.deps.sql, chatId, chatSums(calls))
        : await getChat(this.deps.sql, chatId);
      if (chat) this.deps.onChatsChanged(publicChat(chat), null);
    } catch (err) {
      this.deps.log.error({ err }, 'adding to the chat totals failed');
    }
  }
}

export function titleFrom(content: string): string {
  const line = content.trim().split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || DEFAULT_TITLE;
}
