import type { FastifyBaseLogger } from 'fastify';
import {
  AppError,
  applyChatEvent,
  type Chat,
  type ChatSnapshot,
  type MessagePage,
  type ModelCall,
  type Message,
  type MessageStatus,
  type Part,
  type Usage,
} from '@boocode/protocol';
import {
  addChatUsage,
  appendMessage,
  deleteChat,
  deleteMessagesFrom,
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
  saveMessage,
  setChatSeq,
  updateChat,
  type Queryable,
  type Sql,
} from '@boocode/db';
import { randomUUID } from 'node:crypto';
import { ChatStream, type ChatEventInput } from './chat-stream.ts';
import type { ChatTurn, ModelClient, StreamResult } from './model-client.ts';
import { costOf, totalCost, type Prices } from './pricing.ts';
import { toolsFor, type Toolbox, type ToolSource } from './toolbox.ts';
import { toTurns } from './turns.ts';
import {
  KEEP_TURNS,
  effectiveHistory,
  estimateTokens,
  planCompaction,
  rejectSummary,
  summaryBlock,
  summaryTurns,
  type CompactionPlan,
} from './compaction.ts';
import { allowTools, type AgentDef, type AgentRegistry } from '../agents.ts';
import type { Piece } from './think-parser.ts';
import { KeyedLock } from './keyed-lock.ts';

/** How often a running reply is written to the database. */
const FLUSH_MS = 75;
/** Rounds of tool calls in one reply; past them the model must answer. */
const MAX_TOOL_STEPS = 20;
/** How long the event log of a finished run stays in memory for late resumers. */
const LOG_GRACE_MS = 60_000;
export const DEFAULT_TITLE = 'New chat';

type StopReason = 'stop' | 'shutdown' | 'cancel';

interface Run {
  messageId: string;
  /** Set when the finished event went out; the final write may still be under way. */
  finished: boolean;
  abort: AbortController;
  parts: Part[];
  status: MessageStatus;
  usage: Usage | null;
  calls: ModelCall[];
  dirty: boolean;
  flushing: Promise<void> | null;
  /** Resolves true once the reply's rows and events exist, false if they never will. */
  ready: Promise<boolean>;
  done: Promise<void>;
  /** The message as created, once it is. */
  message: Message | null;
}

/** A compaction in progress: what it replaces, for the marker it leaves. */
interface CompactionOp {
  plan: CompactionPlan;
  auto: boolean;
  tokensBefore: number;
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
 */
export class ChatService {
  private readonly streams = new Map<string, Promise<ChatStream>>();
  private readonly runs = new Map<string, Run>();
  private readonly trimTimers = new Map<string, NodeJS.Timeout>();
  private readonly lock = new KeyedLock();
  private closing = false;

  constructor(private readonly deps: ChatServiceDeps) {}

  private get sql() {
    return this.deps.sql;
  }

  isRunning(chatId: string): boolean {
    const run = this.runs.get(chatId);
    return !!run && !run.finished;
  }

  private stream(chatId: string): Promise<ChatStream> {
    let s = this.streams.get(chatId);
    if (!s) {
      s = getChat(this.sql, chatId).then((chat) => {
        if (!chat) throw new AppError('not_found', 'No such chat.');
        return new ChatStream(chatId, chat.lastSeq, (err) =>
          this.deps.log.warn({ err }, 'chat listener failed'),
        );
      });
      s.catch(() => this.streams.delete(chatId));
      this.streams.set(chatId, s);
    }
    return s;
  }

  /** The chat's event stream, for a socket to replay and follow. */
  events(chatId: string): Promise<ChatStream> {
    return this.stream(chatId);
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
      const stream = await this.stream(chatId);
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
    return this.lock.run(chatId, async () => {
      const { chat, stream, modelName, history, tools, turnsFor } = await this.prepare(
        chatId,
        model,
      );
      const text: Part[] = [{ type: 'text', text: content }];
      const user = { id: randomUUID(), role: 'user' as const, status: 'complete' as const };
      return this.startReply(stream, chat, modelName, {
        tools,
        turns: turnsFor([...history, { ...user, parts: text }]),
        title: history.length === 0 ? content : null,
        events: 1,
        write: async (tx) => {
          const created = await appendMessage(tx, { ...user, chatId, parts: text, model: null });
          return [{ type: 'chat.message.created', message: created }];
        },
      });
    });
  }

  /** Replaces the last reply with a new one. */
  regenerate(chatId: string, model?: string): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const ctx = await this.prepare(chatId, model);
      const { chat, stream, modelName, history: all, tools } = ctx;
      const lastUser = all.findLastIndex((m) => m.role === 'user');
      if (lastUser < 0) throw new AppError('bad_request', 'There is no message to reply to.');
      const history = all.slice(0, lastUser + 1);
      return this.startReply(stream, chat, modelName, {
        tools,
        turns: ctx.turnsFor(history),
        title: null,
        events: all.length > history.length ? 1 : 0,
        write: async (tx) => {
          const deleted = await deleteMessagesFrom(tx, chatId, history.at(-1)!.position + 1);
          return deleted.length ? [{ type: 'chat.message.deleted', messageIds: deleted }] : [];
        },
      });
    });
  }

  /** Replaces a user message's text, drops what followed it, and replies anew. */
  edit(
    chatId: string,
    messageId: string,
    content: string,
    model?: string,
  ): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const ctx = await this.prepare(chatId, model);
      const { chat, stream, modelName, history: all, tools } = ctx;
      const at = all.findIndex((m) => m.id === messageId);
      const target = all[at];
      if (!target) throw new AppError('not_found', 'No such message in this chat.');
      if (target.role !== 'user')
        throw new AppError('bad_request', 'Only your own messages can be edited.');
      const edited: Message = { ...target, parts: [{ type: 'text', text: content }] };
      return this.startReply(stream, chat, modelName, {
        tools,
        turns: ctx.turnsFor([...all.slice(0, at), edited]),
        title: at === 0 ? content : null,
        events: at < all.length - 1 ? 2 : 1,
        write: async (tx) => {
          const [, deleted] = await Promise.all([
            saveMessage(tx, edited.id, { parts: edited.parts, status: 'complete', usage: null }),
            deleteMessagesFrom(tx, chatId, target.position + 1),
          ]);
          return [
            { type: 'chat.message.updated', message: edited },
            ...(deleted.length
              ? [{ type: 'chat.message.deleted' as const, messageIds: deleted }]
              : []),
          ];
        },
      });
    });
  }

  /** A new chat with copies of the messages up to `messageId`, the same model, project and grants. */
  async fork(chatId: string, messageId: string): Promise<Chat> {
    // A reply that just finished may still be writing its last batch: copy what it wrote.
    const finishing = this.runs.get(chatId);
    if (finishing?.finished) await finishing.done;
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
    run.abort.abort('stop' satisfies StopReason);
    await run.done;
    return true;
  }

  async deleteChat(chatId: string): Promise<void> {
    await this.lock.run(chatId, async () => {
      const run = this.runs.get(chatId);
      if (run) {
        run.abort.abort('stop' satisfies StopReason);
        await run.done;
      }
      if (!(await deleteChat(this.sql, chatId))) throw new AppError('not_found', 'No such chat.');
      this.streams.delete(chatId);
      clearTimeout(this.trimTimers.get(chatId));
      this.trimTimers.delete(chatId);
    });
    this.deps.onChatsChanged(null, chatId);
  }

  /** Ends every run as `interrupted`, with what arrived written down. */
  async shutdown(): Promise<void> {
    this.closing = true;
    const runs = [...this.runs.values()];
    for (const r of runs) r.abort.abort('shutdown' satisfies StopReason);
    await Promise.all(runs.map((r) => r.done));
    for (const t of this.trimTimers.values()) clearTimeout(t);
  }

  /**
   * Summarises the older turns of a chat so that it fits its model's context
   * again: a system message marks the place and holds the summary, which stands
   * for those turns in what the model sees from then on. The messages stay.
   */
  compact(chatId: string, opts: { model?: string; auto: boolean }): Promise<{ messageId: string }> {
    return this.lock.run(chatId, async () => {
      const { chat, stream, modelName, history, turnsFor } = await this.prepare(
        chatId,
        opts.model,
        false,
      );
      const plan = planCompaction(history);
      if (!plan)
        throw new AppError(
          'bad_request',
          `Nothing to compact yet: the last ${KEEP_TURNS} turns are always kept as they are.`,
        );
      const last = history.findLast((m) => m.role === 'assistant' && m.calls.length);
      const call = last?.calls.at(-1);
      const tokensBefore = call
        ? call.promptTokens + call.completionTokens
        : estimateTokens(turnsFor(history));
      return this.startReply(stream, chat, modelName, {
        role: 'system',
        compaction: { plan, auto: opts.auto, tokensBefore },
        tools: null,
        turns: summaryTurns(plan),
        title: null,
        events: 0,
        write: async () => [],
      });
    });
  }

  /** After a reply: compacts the chat when it has come near its model's context window. */
  private async compactIfFull(chatId: string, model: string, run: Run): Promise<void> {
    if (run.status !== 'complete' || this.closing) return;
    const call = run.calls.at(-1);
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

  private async prepare(chatId: string, model: string | undefined, withTools = true) {
    if (this.isRunning(chatId)) {
      throw new AppError('conflict', 'A reply is still being written in this chat: stop it first.');
    }
    // A reply that just finished may still be writing its last batch.
    await this.runs.get(chatId)?.done;
    const [stream, chat, history, roots] = await Promise.all([
      this.stream(chatId),
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
    /** What the model sees of these messages: the agent, the tools, a summary, the turns. */
    const turnsFor = (messages: Pick<Message, 'id' | 'role' | 'status' | 'parts'>[]) =>
      contextTurns(messages, agent, tools);
    return { chat, stream, modelName, history, tools, turnsFor };
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
  private async startReply(
    stream: ChatStream,
    chat: Chat,
    model: string,
    op: {
      turns: ChatTurn[];
      tools: Toolbox | null;
      title: string | null;
      /**
       * The op's own changes. It sends all its statements at once, before the
       * reply's (see pipelinedTransaction), and returns `events` events: the
       * chat's seq is written with them, so their number is known before.
       */
      write: (tx: Queryable) => Promise<ChatEventInput[]>;
      events: number;
      /** The message the run writes: the reply (default), or a compaction's marker. */
      role?: 'assistant' | 'system';
      compaction?: CompactionOp;
    },
  ): Promise<{ messageId: string }> {
    clearTimeout(this.trimTimers.get(stream.chatId));
    let open: (ok: boolean) => void = () => {};
    const run: Run = {
      messageId: randomUUID(),
      finished: false,
      abort: new AbortController(),
      parts: [],
      status: 'streaming',
      usage: null,
      calls: [],
      dirty: false,
      flushing: null,
      ready: new Promise<boolean>((r) => (open = r)),
      done: Promise.resolve(),
      message: null,
    };
    this.runs.set(stream.chatId, run);
    run.done = this.execute(stream, run, op.turns, model, op.tools, op.compaction).finally(() => {
      this.runs.delete(stream.chatId);
      this.scheduleTrim(stream);
      if (!op.compaction) void this.compactIfFull(stream.chatId, model, run);
    });
    try {
      const title = op.title && chat.title === DEFAULT_TITLE ? titleFrom(op.title) : undefined;
      // One round trip: the op's statements, the reply's row and the chat's update.
      const [events, assistant, updated] = await pipelinedTransaction(this.sql, (tx) =>
        Promise.all([
          op.write(tx),
          appendMessage(tx, {
            id: run.messageId,
            chatId: chat.id,
            role: op.role ?? 'assistant',
            status: 'streaming',
            parts: [],
            model,
          }),
          updateChat(tx, chat.id, { model, title, seq: stream.seq + op.events + 1 }),
        ]),
      );
      for (const ev of events) stream.emit(ev);
      run.message = assistant;
      stream.emit({ type: 'chat.message.created', message: assistant });
      open(true);
      if (updated) this.deps.onChatsChanged(publicChat(updated), null);
      return { messageId: assistant.id };
    } catch (err) {
      // Nothing was written: the reply never existed.
      run.abort.abort('cancel' satisfies StopReason);
      open(false);
      await run.done;
      throw err;
    }
  }

  private async execute(
    stream: ChatStream,
    run: Run,
    turns: ChatTurn[],
    model: string,
    tools: Toolbox | null,
    compaction?: CompactionOp,
  ): Promise<void> {
    const timer = setInterval(() => void this.flush(stream, run), FLUSH_MS);
    // Pieces that arrive in one burst (one network read holds many chunks) go out
    // as one delta. run.parts changes only when its delta is emitted, so that the
    // parts written to the database always match the seq written with them.
    const pending: Piece[] = [];
    const emitPending = () => {
      for (const { kind, text } of pending.splice(0)) {
        const last = run.parts.at(-1);
        let index = run.parts.length - 1;
        if (last && last.type === kind) last.text += text;
        else index = run.parts.push({ type: kind, text }) - 1;
        stream.emit({ type: 'chat.part.delta', messageId: run.messageId, index, part: kind, text });
        run.dirty = true;
      }
    };
    const onPiece = (p: Piece) => {
      const tail = pending.at(-1);
      if (tail?.kind === p.kind) tail.text += p.text;
      else if (pending.push({ ...p }) === 1) {
        // The first piece goes out at once: the rest of its burst may take
        // milliseconds to parse, and the user is waiting for the first token.
        if (run.parts.length === 0) emitPending();
        else setImmediate(emitPending);
      }
    };
    let failure: string | null = null;
    const signal = run.abort.signal;
    const addPart = (part: Part) => {
      const index = run.parts.push(part) - 1;
      stream.emit({ type: 'chat.part.added', messageId: run.messageId, index, part });
      run.dirty = true;
      return index;
    };
    try {
      const usage = { promptTokens: 0, completionTokens: 0 };
      let counted = false;
      const record = (result: StreamResult) => {
        if (result.usage) {
          usage.promptTokens += result.usage.promptTokens;
          usage.completionTokens += result.usage.completionTokens;
          counted = true;
          const { promptTokens, completionTokens } = result.usage;
          const prev = run.calls.at(-1);
          // What the last round's tool results added to this call's prompt.
          if (prev)
            this.creditToolTokens(
              stream,
              run,
              promptTokens - prev.promptTokens - prev.completionTokens,
            );
          run.calls.push({
            promptTokens,
            completionTokens,
            costMicros: costOf(this.deps.prices, model, { promptTokens, completionTokens }),
          });
        }
        run.usage = counted ? { ...usage } : null;
      };
      if (compaction) {
        const result = await this.deps.models.stream({
          model,
          turns,
          signal,
          onPiece,
          gate: run.ready,
        });
        record(result);
        emitPending();
        const text = run.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
        const why = rejectSummary(text, result.finishReason, result.toolCalls.length);
        if (why)
          throw new AppError('bad_request', `Compaction failed: ${why}. The chat is unchanged.`);
        run.parts = [
          {
            type: 'compaction',
            summary: text.trim(),
            keptFrom: compaction.plan.keptFrom,
            summarised: compaction.plan.summarised,
            tokensBefore: compaction.tokensBefore,
            auto: compaction.auto,
          },
        ];
        stream.emit({
          type: 'chat.message.updated',
          message: { ...run.message!, parts: run.parts },
        });
        run.dirty = true;
      }
      const convo = [...turns];
      // The tool loop: the model calls tools, gets their results, and goes on until it answers.
      for (let step = 0; !compaction; step++) {
        emitPending();
        const stepStart = run.parts.length;
        const result = await this.deps.models.stream({
          model,
          turns: convo,
          signal,
          onPiece,
          gate: run.ready,
          tools: tools && step < MAX_TOOL_STEPS ? tools.specs : [],
        });
        record(result);
        if (!tools || result.toolCalls.length === 0) break;
        emitPending();
        const text = run.parts
          .slice(stepStart)
          .map((p) => (p.type === 'text' ? p.text : ''))
          .join('');
        convo.push({
          role: 'assistant',
          content: text || null,
          tool_calls: result.toolCalls.map((c) => ({
            id: c.id,
            type: 'function' as const,
            function: { name: c.name, arguments: c.arguments },
          })),
        });
        for (const call of result.toolCalls) {
          if (signal.aborted) throw signal.reason;
          const at = addPart({
            type: 'tool_call',
            callId: call.id,
            name: call.name,
            args: call.arguments,
            state: 'running',
          });
          const out = await tools.run(call, signal);
          const done: Part = {
            type: 'tool_call',
            callId: call.id,
            name: call.name,
            args: call.arguments,
            state: out.ok ? 'done' : 'error',
          };
          run.parts[at] = done;
          stream.emit({
            type: 'chat.part.updated',
            messageId: run.messageId,
            index: at,
            part: done,
          });
          addPart({
            type: 'tool_result',
            callId: call.id,
            name: call.name,
            ok: out.ok,
            text: out.text,
            ...(out.images ? { images: out.images } : {}),
          });
          convo.push({ role: 'tool', tool_call_id: call.id, content: out.text });
        }
      }
      run.status = 'complete';
    } catch (err) {
      if (signal.aborted) {
        run.status = signal.reason === 'shutdown' ? 'interrupted' : 'stopped';
      } else {
        run.status = 'error';
        failure = err instanceof AppError ? err.message : 'The reply failed.';
        if (!(err instanceof AppError)) this.deps.log.error({ err }, 'reply failed');
      }
    } finally {
      clearInterval(timer);
    }
    if (!(await run.ready)) return;
    emitPending();
    if (failure) {
      const index = run.parts.push({ type: 'error', text: failure }) - 1;
      stream.emit({
        type: 'chat.part.delta',
        messageId: run.messageId,
        index,
        part: 'error',
        text: failure,
      });
    }
    run.finished = true;
    stream.emit({
      type: 'chat.message.finished',
      messageId: run.messageId,
      status: run.status,
      usage: run.usage,
      calls: run.calls,
      costMicros: totalCost(run.calls),
    });
    run.dirty = true;
    // The last write must land: retry a failed one a few times before giving up.
    for (let attempt = 0; run.dirty && attempt < 5; attempt++) {
      await run.flushing;
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * attempt));
      await this.flush(stream, run);
    }
    await this.finishChat(stream.chatId, run.calls);
  }

  /** Adds a finished reply's use to the chat's totals, and tells the lists it is not running. */
  private async finishChat(chatId: string, calls: ModelCall[]): Promise<void> {
    const use = { promptTokens: 0, completionTokens: 0, costMicros: 0 };
    for (const c of calls) {
      use.promptTokens += c.promptTokens;
      use.completionTokens += c.completionTokens;
      use.costMicros += c.costMicros ?? 0;
    }
    try {
      const chat = calls.length
        ? await addChatUsage(this.sql, chatId, use)
        : await getChat(this.sql, chatId);
      if (chat) this.deps.onChatsChanged(publicChat(chat), null);
    } catch (err) {
      this.deps.log.error({ err }, 'adding to the chat totals failed');
    }
  }

  /**
   * Shares the prompt tokens the last round's tool results added among them, by
   * the length of their text (the endpoint reports one number for the whole prompt).
   */
  private creditToolTokens(stream: ChatStream, run: Run, added: number): void {
    const results: number[] = [];
    for (let i = run.parts.length - 1; i >= 0 && run.parts[i]!.type === 'tool_result'; i--)
      results.unshift(i);
    if (results.length === 0) return;
    const sizes = results.map((i) => {
      const p = run.parts[i]!;
      return p.type === 'tool_result' ? p.text.length + 1 : 1;
    });
    const total = sizes.reduce((a, b) => a + b, 0);
    let left = Math.max(0, added);
    results.forEach((i, k) => {
      const p = run.parts[i]!;
      if (p.type !== 'tool_result') return;
      const tokens =
        k === results.length - 1 ? left : Math.round((Math.max(0, added) * sizes[k]!) / total);
      left -= tokens;
      const part = { ...p, tokens };
      run.parts[i] = part;
      stream.emit({ type: 'chat.part.updated', messageId: run.messageId, index: i, part });
    });
    run.dirty = true;
  }

  /** Writes the run's message and the seq it reflects, in one transaction. */
  private async flush(stream: ChatStream, run: Run): Promise<void> {
    if (!run.dirty || run.flushing) return;
    run.dirty = false;
    const state = {
      parts: run.parts.map((p) => ({ ...p })),
      status: run.status,
      usage: run.usage,
      calls: [...run.calls],
      costMicros: totalCost(run.calls),
    };
    const seq = stream.seq;
    run.flushing = this.sql
      .begin(async (tx) => {
        await saveMessage(tx, run.messageId, state);
        await setChatSeq(tx, stream.chatId, seq);
      })
      .then(
        () => {},
        (err: unknown) => {
          run.dirty = true;
          this.deps.log.error({ err }, 'saving a reply failed; will retry');
        },
      )
      .finally(() => {
        run.flushing = null;
      });
    await run.flushing;
  }

  private scheduleTrim(stream: ChatStream): void {
    const t = setTimeout(() => {
      this.trimTimers.delete(stream.chatId);
      if (this.runs.has(stream.chatId)) return;
      stream.trim();
      if (stream.idle) this.streams.delete(stream.chatId);
    }, LOG_GRACE_MS);
    t.unref();
    this.trimTimers.set(stream.chatId, t);
  }
}

export function titleFrom(content: string): string {
  const line = content.trim().split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || DEFAULT_TITLE;
}

/** The turns the model gets: a system prompt (agent, tools, summary), then the conversation. */
function contextTurns(
  messages: Pick<Message, 'id' | 'role' | 'status' | 'parts'>[],
  agent: AgentDef | null,
  tools: Toolbox | null,
): ChatTurn[] {
  const { summary, messages: kept } = effectiveHistory(messages);
  const system = [agent?.systemPrompt, tools?.system, summary ? summaryBlock(summary) : null]
    .filter(Boolean)
    .join('\n\n');
  const turns = toTurns(kept);
  return system ? [{ role: 'system', content: system }, ...turns] : turns;
}
