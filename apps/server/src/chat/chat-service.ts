import type { FastifyBaseLogger } from 'fastify';
import {
  AppError,
  applyChatEvent,
  type Chat,
  type ChatSnapshot,
  type MessagePage,
  type Message,
  notFound,
} from '@boocode/protocol';
import {
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
  publicChat,
  type Sql,
} from '@boocode/db';
import type { ChatStream } from './chat-stream.ts';
import { ChatStreams } from './chat-streams.ts';
import { ChatRuns } from './chat-runs.ts';
import type { ModelClient } from './model-client.ts';
import type { Prices } from './pricing.ts';
import type { ReplyRun } from './reply-run.ts';
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
import { allowTools, type AgentRegistry } from '../agents.ts';
import { KeyedLock } from './keyed-lock.ts';

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
 * Running replies are ChatRuns' (chat-runs.ts); this class owns the chats.
 */
export class ChatService {
  private readonly streams: ChatStreams;
  private readonly runs: ChatRuns;
  private readonly lock = new KeyedLock();
  private closing = false;

  constructor(private readonly deps: ChatServiceDeps) {
    this.streams = new ChatStreams(deps);
    this.runs = new ChatRuns({
      ...deps,
      streams: this.streams,
      afterReply: (chatId, ended) => void this.compactIfFull(chatId, ended),
    });
  }

  private get sql() {
    return this.deps.sql;
  }

  isRunning(chatId: string): boolean {
    return this.runs.isRunning(chatId);
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
      if (!chat || !page) throw notFound('chat');
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
  async olderMessages(
    chatId: string,
    { before, limit }: { before: number; limit: number },
  ): Promise<MessagePage> {
    if (!(await getChat(this.sql, chatId))) throw notFound('chat');
    return pageMessages(this.sql, chatId, { before, limit });
  }

  /** A new user message, and the reply to it. */
  send(
    chatId: string,
    { content, model }: { content: string; model?: string },
  ): Promise<{ messageId: string }> {
    return this.reply(chatId, { model, withTools: true }, (ctx) => sendOp(ctx, content));
  }

  /** Replaces the last reply with a new one. */
  regenerate(chatId: string, { model }: { model?: string } = {}): Promise<{ messageId: string }> {
    return this.reply(chatId, { model, withTools: true }, regenerateOp);
  }

  /** Replaces a user message's text, drops what followed it, and replies anew. */
  edit(
    chatId: string,
    { messageId, content, model }: { messageId: string; content: string; model?: string },
  ): Promise<{ messageId: string }> {
    return this.reply(chatId, { model, withTools: true }, (ctx) =>
      editOp(ctx, { messageId, content }),
    );
  }

  /**
   * Summarises the older turns of a chat so that it fits its model's context
   * again (see compactOp).
   */
  compact(chatId: string, opts: { model?: string; auto: boolean }): Promise<{ messageId: string }> {
    return this.reply(chatId, { model: opts.model, withTools: false }, (ctx) =>
      compactOp(ctx, opts),
    );
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
    if (!chat) throw notFound('chat');
    if (!message || message.chatId !== chatId) throw notFound('message in this chat');
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
  stop(chatId: string): Promise<boolean> {
    return this.runs.stop(chatId, 'stop');
  }

  async deleteChat(chatId: string): Promise<void> {
    await this.lock.run(chatId, async () => {
      await this.runs.stop(chatId, 'stop');
      if (!(await deleteChat(this.sql, chatId))) throw notFound('chat');
      this.streams.forget(chatId);
    });
    this.deps.onChatsChanged(null, chatId);
  }

  /** Ends every run as `interrupted`, with what arrived written down. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await this.runs.shutdown();
    this.streams.close();
  }

  /** A reply made by `op` from the chat as it is now (see prepare), under the chat's lock. */
  private reply(
    chatId: string,
    from: { model: string | undefined; withTools: boolean },
    op: (ctx: ReplyContext) => ReplyOp,
  ): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const ctx = await this.prepare(chatId, from);
      return this.runs.start(ctx, op(ctx));
    });
  }

  /** After a reply: compacts the chat when it has come near its model's context window. */
  private async compactIfFull(
    chatId: string,
    { model, reply }: { model: string; reply: ReplyRun },
  ): Promise<void> {
    if (reply.status !== 'complete' || this.closing) return;
    const call = reply.usage.calls.at(-1);
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

  /** What an operation starts from; none while a reply is being written. */
  private async prepare(
    chatId: string,
    { model, withTools }: { model: string | undefined; withTools: boolean },
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
    if (!chat) throw notFound('chat');
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
}
