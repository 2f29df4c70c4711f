import type { FastifyBaseLogger } from 'fastify';
import {
  AppError,
  applyChatEvent,
  type Chat,
  type ChatSnapshot,
  type MessagePage,
  type Message,
  type ModelCall,
} from '@boocode/protocol';
import {
  addChatUsage,
  appendMessage,
  deleteChat,
  getChat,
  chatRoots,
  copyGrants,
  copyChatMcpDisabled,
  copyMessagesUpTo,
  createChat,
  getMessage,
  listMessages,
  pageMessages,
  pipelinedTransaction,
  publicChat,
  updateChat,
  type Sql,
} from '@boocode/db';
import { randomUUID } from 'node:crypto';
import type { ChatStream } from './chat-stream.ts';
import { ChatStreams } from './chat-streams.ts';
import { chatSink, chatStore } from './chat-reply.ts';
import type { ModelClient } from './model-client.ts';
import { costOf, type Prices } from './pricing.ts';
import { ReplyRun, type StopReason } from './reply-run.ts';
import {
  compactOp,
  editOp,
  regenerateOp,
  sendOp,
  type ReplyContext,
  type ReplyOp,
} from './reply-ops.ts';
import { toolsFor, type ToolSource } from './toolbox.ts';
import { contextTurns } from './turns.ts';
import { chatSums } from './usage.ts';
import { allowTools, type AgentRegistry } from '../agents.ts';
import { KeyedLock } from './keyed-lock.ts';

export const DEFAULT_TITLE = 'New chat';

/** A reply running in a chat. */
interface ChatRun {
  messageId: string;
  reply: ReplyRun;
  /** Settles once the reply is finished and written, and the chat's totals updated. */
  done: Promise<void>;
}

export interface ChatServiceDeps {
  sql: Sql;
  models: ModelClient;
  prices: Prices;
  log: FastifyBaseLogger;
  /** Where a chat's tools come from (read tools, skills, MCP servers ...). */
  toolSources: ToolSource[];
  agents: AgentRegistry;
  /** The model's context window in tokens (from the endpoint's list, else config). */
  contextWindow: (model: string) => Promise<number>;
  /** The share of the context window past which a chat is compacted after a reply (0-1]. */
  compactAt: number;
  /** Told when the chat list changes (title, model, touched, deleted). */
  onChatsChanged: (chat: Chat | null, deletedId: string | null) => void;
}

/**
 * Chats and their replies. A reply runs detached from any socket: its deltas go
 * to the chat's event stream (seq-numbered, replayable) and to the database in
 * batches, so a page can reload, a socket drop, and nothing is lost or doubled.
 * The reply itself is a ReplyRun (reply-run.ts); this class owns the chats.
 */
export class ChatService {
  private readonly streams: ChatStreams;
  private readonly runs = new Map<string, ChatRun>();
  private readonly lock = new KeyedLock();
  private closing = false;

  constructor(private readonly deps: ChatServiceDeps) {
    this.streams = new ChatStreams(deps);
  }

  private get sql() {
    return this.deps.sql;
  }

  isRunning(chatId: string): boolean {
    const run = this.runs.get(chatId);
    return !!run && !run.reply.finished;
  }

  /** The chat's event stream, for a socket to replay and follow. */
  events(chatId: string): Promise<ChatStream> {
    return this.streams.get(chatId);
  }

  /** The chat's newest messages as of a seq: database rows plus the events not yet written. */
  snapshot(chatId: string, limit: number): Promise<ChatSnapshot> {
    return this.view(chatId, limit);
  }

  /** Every message of the chat as of now, for an export. */
  async everything(chatId: string): Promise<{ chat: Chat; messages: Message[] }> {
    const { chat, messages } = await this.view(chatId, null);
    return { chat, messages };
  }

  /**
   * Database rows (the newest `limit`, or all) plus the events not written yet,
   * read in one consistent step under the chat's lock.
   */
  private view(chatId: string, limit: number | null): Promise<ChatSnapshot> {
    return this.lock.run(chatId, async () => {
      const stream = await this.streams.get(chatId);
      const { chat, page } = await this.sql.begin('isolation level repeatable read', async (tx) => {
        const c = await getChat(tx, chatId);
        if (!c) return { chat: null, page: null };
        const page =
          limit === null
            ? { messages: await listMessages(tx, chatId), hasMore: false }
            : await pageMessages(tx, chatId, { before: null, limit });
        return { chat: c, page };
      });
      if (!chat || !page) throw new AppError('not_found', 'No such chat.');
      const pending = stream.eventsAfter(chat.lastSeq) ?? [];
      return {
        chat: publicChat(chat),
        messages: pending.reduce(applyChatEvent, page.messages),
        seq: pending.length ? stream.seq : chat.lastSeq,
        running: this.isRunning(chatId),
        hasMore: page.hasMore,
      };
    });
  }

  /** Older messages, for scrolling back; they do not change while a reply streams. */
  async olderMessages(chatId: string, before: number, limit: number): Promise<MessagePage> {
    if (!(await getChat(this.sql, chatId))) throw new AppError('not_found', 'No such chat.');
    return pageMessages(this.sql, chatId, { before, limit });
  }

  send(chatId: string, content: string, model?: string): Promise<{ messageId: string }> {
    return this.reply(chatId, model, (ctx) => sendOp(ctx, content));
  }

  /** Replaces the last reply with a new one. */
  regenerate(chatId: string, model?: string): Promise<{ messageId: string }> {
    return this.reply(chatId, model, regenerateOp);
  }

  /** Replaces a user message's text, drops what followed it, and replies anew. */
  edit(
    chatId: string,
    messageId: string,
    content: string,
    model?: string,
  ): Promise<{ messageId: string }> {
    return this.reply(chatId, model, (ctx) => editOp(ctx, { messageId, content }));
  }

  /**
   * Summarises the older turns of a chat so that it fits its model's context
   * again (see compactOp).
   */
  compact(chatId: string, opts: { model?: string; auto: boolean }): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const ctx = await this.prepare(chatId, opts.model, false);
      return this.startReply(ctx, compactOp(ctx, opts));
    });
  }

  /** A new chat with copies of the messages up to `messageId`, the same model, project and grants. */
  async fork(chatId: string, messageId: string): Promise<Chat> {
    // A reply that just finished may still be writing its last batch: copy what it wrote.
    const finishing = this.runs.get(chatId);
    if (finishing?.reply.finished) await finishing.done;
    const [chat, message] = await Promise.all([
      getChat(this.sql, chatId),
      getMessage(this.sql, messageId),
    ]);
    if (!chat) throw new AppError('not_found', 'No such chat.');
    if (!message || message.chatId !== chatId)
      throw new AppError('not_found', 'No such message in this chat.');
    if (message.status === 'streaming' && this.runs.get(chatId)?.messageId === messageId) {
      throw new AppError(
        'conflict',
        'This reply is still being written: fork from it once it is done.',
      );
    }
    const forked = await this.sql.begin(async (tx) => {
      const created = await createChat(tx, {
        title: `Fork of ${chat.title}`.slice(0, 200),
        model: chat.model,
        projectId: chat.projectId,
        agentId: chat.agentId,
      });
      await copyMessagesUpTo(tx, chatId, created.id, message.position);
      await copyGrants(tx, chatId, created.id);
      await copyChatMcpDisabled(tx, chatId, created.id);
      return created;
    });
    const result = publicChat(forked);
    this.deps.onChatsChanged(result, null);
    return result;
  }

  /** Stops the running reply, keeping what arrived. */
  async stop(chatId: string): Promise<boolean> {
    const run = this.runs.get(chatId);
    if (!run) return false;
    run.reply.abort.abort('stop' satisfies StopReason);
    await run.done;
    return true;
  }

  async deleteChat(chatId: string): Promise<void> {
    await this.lock.run(chatId, async () => {
      const run = this.runs.get(chatId);
      if (run) {
        run.reply.abort.abort('stop' satisfies StopReason);
        await run.done;
      }
      if (!(await deleteChat(this.sql, chatId))) throw new AppError('not_found', 'No such chat.');
      this.streams.forget(chatId);
    });
    this.deps.onChatsChanged(null, chatId);
  }

  /** Ends every run as `interrupted`, with what arrived written down. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const runs = [...this.runs.values()];
    for (const r of runs) r.reply.abort.abort('shutdown' satisfies StopReason);
    await Promise.all(runs.map((r) => r.done));
    this.streams.close();
  }

  /** A reply made by `op` from the chat as it is now, under the chat's lock. */
  private reply(
    chatId: string,
    model: string | undefined,
    op: (ctx: ReplyContext) => ReplyOp,
  ): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const ctx = await this.prepare(chatId, model);
      return this.startReply(ctx, op(ctx));
    });
  }

  /** After a reply: compacts the chat when it has come near its model's context window. */
  private async compactIfFull(chatId: string, model: string, run: ChatRun): Promise<void> {
    if (run.reply.status !== 'complete' || this.closing) return;
    const call = run.reply.usage.calls.at(-1);
    if (!call) return; // no usage reported: the next reply's own estimate decides
    const window = await this.deps.contextWindow(model);
    if (call.promptTokens + call.completionTokens < window * this.deps.compactAt) return;
    try {
      await this.compact(chatId, { model, auto: true });
    } catch (err) {
      // The user moved on (a new reply runs) or there is nothing old to summarise.
      this.deps.log.info({ err }, 'automatic compaction skipped');
    }
  }

  private async prepare(
    chatId: string,
    model: string | undefined,
    withTools = true,
  ): Promise<ReplyContext> {
    if (this.isRunning(chatId)) {
      throw new AppError('conflict', 'A reply is still being written in this chat: stop it first.');
    }
    // A reply that just finished may still be writing its last batch.
    await this.runs.get(chatId)?.done;
    const [stream, chat, history, roots] = await Promise.all([
      this.streams.get(chatId),
      getChat(this.sql, chatId),
      listMessages(this.sql, chatId),
      chatRoots(this.sql, chatId),
    ]);
    if (!chat) throw new AppError('not_found', 'No such chat.');
    const modelName = model ?? chat.model ?? (await this.defaultModel());
    const agent = chat.agentId ? await this.deps.agents.get(chat.agentId) : null;
    const tools = withTools
      ? allowTools(
          await toolsFor(this.deps.toolSources, { chat: publicChat(chat), roots }, (err) =>
            this.deps.log.warn({ err }, 'a tool source failed'),
          ),
          agent?.tools ?? null,
        )
      : null;
    const turnsFor: ReplyContext['turnsFor'] = (messages) =>
      contextTurns(messages, { agent, tools });
    return { chat, stream, model: modelName, history, tools, turnsFor };
  }

  private async defaultModel(): Promise<string> {
    const list = await this.deps.models.listModels();
    const first = list.models[0];
    if (first) return first.id;
    throw new AppError('model_unreachable', list.error ?? 'The model endpoint lists no models.');
  }

  /**
   * Starts a reply: writes the op's own changes, the streaming assistant message
   * and the chat's model, title and seq in one transaction, and emits their
   * events. The model request goes out at once, in parallel with the writes,
   * but its body is read only after them: so the order of events stays exact,
   * and a fast endpoint cannot flood the event loop while the writes wait.
   */
  private async startReply(ctx: ReplyContext, op: ReplyOp): Promise<{ messageId: string }> {
    const { stream, chat, model } = ctx;
    this.streams.keep(stream.chatId);
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
      store: chatStore(this.sql, stream, messageId),
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
        this.streams.trimLater(stream, () => this.runs.has(stream.chatId));
        // A compaction's marker is no reply to compact after.
        if (op.role === 'assistant') void this.compactIfFull(stream.chatId, model, run);
      });
    try {
      const title = op.title && chat.title === DEFAULT_TITLE ? titleFrom(op.title) : undefined;
      // One round trip: the op's statements, the reply's row and the chat's update.
      const [events, assistant, updated] = await pipelinedTransaction(this.sql, (tx) =>
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
        ? await addChatUsage(this.sql, chatId, chatSums(calls))
        : await getChat(this.sql, chatId);
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
