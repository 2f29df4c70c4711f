import { AppError, type Message, type Part, notFound } from '@boocode/protocol';
import {
  appendMessage,
  deleteMessagesFrom,
  saveMessage,
  type ChatWithSeq,
  type Queryable,
} from '@boocode/db';
import { randomUUID } from 'node:crypto';
import type { ChatEventInput, ChatStream } from './chat-stream.ts';
import type { ChatTurn } from './model-client.ts';
import type { ReplyRun } from './reply-run.ts';
import type { Toolbox } from './toolbox.ts';
import { toolLoop } from './tool-loop.ts';
import { KEEP_TURNS, planCompaction, summarise, tokensInUse } from './compaction.ts';

/** What an operation on a chat starts from, read when it begins. */
export interface ReplyContext {
  chat: ChatWithSeq;
  stream: ChatStream;
  model: string;
  history: Message[];
  tools: Toolbox | null;
  /** What the model sees of these messages: the agent, the tools, a summary, the turns. */
  turnsFor: (messages: Pick<Message, 'id' | 'role' | 'status' | 'parts'>[]) => ChatTurn[];
}

/** What an operation writes before its run starts, and what the run does. */
export interface ReplyOp {
  /** The text the chat's title comes from, when the chat still has the default one. */
  title: string | null;
  /**
   * The op's own changes. It sends all its statements at once, before the
   * reply's (see pipelinedTransaction), and returns `events` events: the
   * chat's seq is written with them, so their number is known before.
   */
  write: (tx: Queryable) => Promise<ChatEventInput[]>;
  events: number;
  /** The message the run writes: a reply, or (system) a compaction's marker. */
  role: 'assistant' | 'system';
  /** The run's body (see ReplyRun.execute). */
  body: (run: ReplyRun) => Promise<void>;
}

/** A new user message, and the reply to it. */
export function sendOp(ctx: ReplyContext, content: string): ReplyOp {
  const { chat, history, tools } = ctx;
  const text: Part[] = [{ type: 'text', text: content }];
  const user = { id: randomUUID(), role: 'user' as const, status: 'complete' as const };
  const turns = ctx.turnsFor([...history, { ...user, parts: text }]);
  return {
    role: 'assistant',
    body: (run) => toolLoop(run, { turns, tools }),
    title: history.length === 0 ? content : null,
    events: 1,
    write: async (tx) => {
      const created = await appendMessage(tx, {
        ...user,
        chatId: chat.id,
        parts: text,
        model: null,
      });
      return [{ type: 'chat.message.created', message: created }];
    },
  };
}

/** The last reply replaced with a new one. */
export function regenerateOp(ctx: ReplyContext): ReplyOp {
  const { chat, history: all, tools } = ctx;
  const lastUser = all.findLastIndex((m) => m.role === 'user');
  if (lastUser < 0) throw new AppError('bad_request', 'There is no message to reply to.');
  const history = all.slice(0, lastUser + 1);
  const turns = ctx.turnsFor(history);
  return {
    role: 'assistant',
    body: (run) => toolLoop(run, { turns, tools }),
    title: null,
    events: all.length > history.length ? 1 : 0,
    write: async (tx) => {
      const deleted = await deleteMessagesFrom(tx, chat.id, history.at(-1)!.position + 1);
      return deleted.length ? [{ type: 'chat.message.deleted', messageIds: deleted }] : [];
    },
  };
}

/** A user message's text replaced, what followed it dropped, and a new reply. */
export function editOp(
  ctx: ReplyContext,
  { messageId, content }: { messageId: string; content: string },
): ReplyOp {
  const { chat, history: all, tools } = ctx;
  const at = all.findIndex((m) => m.id === messageId);
  const target = all[at];
  if (!target) throw notFound('message in this chat');
  if (target.role !== 'user')
    throw new AppError('bad_request', 'Only your own messages can be edited.');
  const edited: Message = { ...target, parts: [{ type: 'text', text: content }] };
  const turns = ctx.turnsFor([...all.slice(0, at), edited]);
  return {
    role: 'assistant',
    body: (run) => toolLoop(run, { turns, tools }),
    title: at === 0 ? content : null,
    events: at < all.length - 1 ? 2 : 1,
    write: async (tx) => {
      const [, deleted] = await Promise.all([
        saveMessage(tx, edited.id, { parts: edited.parts, status: 'complete', usage: null }),
        deleteMessagesFrom(tx, chat.id, target.position + 1),
      ]);
      return [
        { type: 'chat.message.updated', message: edited },
        ...(deleted.length ? [{ type: 'chat.message.deleted' as const, messageIds: deleted }] : []),
      ];
    },
  };
}

/**
 * A summary of the older turns, in a system message that marks the place and
 * stands for those turns in what the model sees from then on. The messages stay.
 */
export function compactOp(ctx: ReplyContext, { auto }: { auto: boolean }): ReplyOp {
  const { history, turnsFor } = ctx;
  const plan = planCompaction(history);
  if (!plan)
    throw new AppError(
      'bad_request',
      `Nothing to compact yet: the last ${KEEP_TURNS} turns are always kept as they are.`,
    );
  const tokensBefore = tokensInUse(history, () => turnsFor(history));
  return {
    role: 'system',
    body: (run) => summarise(run, { plan, auto, tokensBefore }),
    title: null,
    events: 0,
    write: async () => [],
  };
}
