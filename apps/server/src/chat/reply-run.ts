/*
 * One reply's run, apart from where it is shown and where it is kept. The
 * `boocode` agent backend (apps/coder) reuses this loop rather than copying it,
 * so a run depends only on narrow interfaces, never on ChatService:
 *
 * - `ModelStreamer` (model-client.ts): one streamed completion at a time.
 * - `Toolbox` (toolbox.ts): the tools' specs and `run(call, signal)`.
 * - `ReplySink`: where the run's `ReplyEvent`s go, in order. A chat gives them
 *   seqs and maps them to `chat.*` events; an agent maps them to `AgentEvent`s.
 * - `ReplyStore`: writes a copy of the run's state; one write at a time, every
 *   FLUSH_MS while something changed, and at the end until one lands.
 *
 * A run holds its parts, status and usage; `execute(body)` runs a body (the
 * tool loop, `toolLoop` in tool-loop.ts, or a compaction's `summarise`) and maps
 * how it ended to a status. This module and what it imports (model-client,
 * toolbox, tool-loop, usage, think-parser) use no server code, so they can move
 * to a package when apps/coder needs them (apps never import each other).
 */
import {
  AppError,
  Backoff,
  type MessageStatus,
  type ModelCall,
  type Part,
  type Usage,
} from '@boocode/protocol';
import type { ChatTurn, ModelStreamer, StreamResult, ToolSpec } from './model-client.ts';
import type { Piece } from './think-parser.ts';
import { creditToolTokens, ReplyUsage, totalCost } from './usage.ts';

/** How often a running reply is written down. */
export const FLUSH_MS = 75;

/** Why a run was aborted: the user stopped it, the server is going down, or it never began. */
export type StopReason = 'stop' | 'shutdown' | 'cancel';

/** What happens to a reply, in order; indices are into its parts. */
export type ReplyEvent =
  /** Text appended to the part at `index`, or a new part when `index` is the part count. */
  | { type: 'part.delta'; index: number; part: 'text' | 'reasoning' | 'error'; text: string }
  | { type: 'part.added'; index: number; part: Part }
  | { type: 'part.updated'; index: number; part: Part }
  /** Every part at once (a compaction's summary standing for what streamed). */
  | { type: 'parts.replaced'; parts: Part[] }
  | {
      type: 'finished';
      status: MessageStatus;
      usage: Usage | null;
      calls: ModelCall[];
      costMicros: number | null;
    };

export interface ReplySink {
  emit(ev: ReplyEvent): void;
}

/** A run's state as written down. */
export interface ReplyState {
  parts: Part[];
  status: MessageStatus;
  usage: Usage | null;
  calls: ModelCall[];
  costMicros: number | null;
}

export interface ReplyStore {
  /** Rejects when the write failed; the run tries again later. */
  save(state: ReplyState): Promise<void>;
}

export interface ReplyLog {
  error(obj: object, msg: string): void;
}

export interface ReplyRunOptions {
  models: ModelStreamer;
  model: string;
  sink: ReplySink;
  store: ReplyStore;
  log: ReplyLog;
  /** A call's cost in micro-dollars; null when the model has no price. */
  price: (usage: Usage) => number | null;
  /**
   * Resolves true once the reply's record exists, or false, after an abort, if
   * it never will. Model bodies are read, and the end written, only after it.
   */
  ready: Promise<boolean>;
}

export class ReplyRun {
  readonly abort = new AbortController();
  readonly usage: ReplyUsage;
  parts: Part[] = [];
  status: MessageStatus = 'streaming';
  /** Set when the finished event went out; the final write may still be under way. */
  finished = false;
  private dirty = false;
  private flushing: Promise<void> | null = null;
  /** Pieces of the current burst not emitted yet. */
  private readonly pending: Piece[] = [];

  constructor(private readonly opts: ReplyRunOptions) {
    this.usage = new ReplyUsage(opts.price);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /**
   * Runs `body` to its end and finishes the reply: its status from how the body
   * ended, an error part for a failure, the finished event, and the last write,
   * retried until it lands. Resolves false when the reply's record never came
   * to exist (nothing is emitted or written then).
   */
  async execute(body: (run: ReplyRun) => Promise<void>): Promise<boolean> {
    const timer = setInterval(() => void this.flush(), FLUSH_MS);
    let failure: string | null = null;
    try {
      await body(this);
      this.status = 'complete';
    } catch (err) {
      if (this.signal.aborted) {
        this.status = this.signal.reason === 'shutdown' ? 'interrupted' : 'stopped';
      } else {
        this.status = 'error';
        failure = err instanceof AppError ? err.message : 'The reply failed.';
        if (!(err instanceof AppError)) this.opts.log.error({ err }, 'reply failed');
      }
    } finally {
      clearInterval(timer);
    }
    if (!(await this.opts.ready)) return false;
    this.emitPending();
    if (failure) {
      const index = this.parts.push({ type: 'error', text: failure }) - 1;
      this.emit({ type: 'part.delta', index, part: 'error', text: failure });
    }
    this.finished = true;
    const { calls } = this.usage;
    this.emit({
      type: 'finished',
      status: this.status,
      usage: this.usage.total,
      calls,
      costMicros: totalCost(calls),
    });
    this.dirty = true;
    // The last write must land: a failed one is retried for ~15 s (200 ms doubling to 5 s),
    // long enough for a killed PostgreSQL to be started again.
    const backoff = new Backoff({ initialMs: 200, maxMs: 5000 });
    for (let attempt = 0; this.dirty && attempt < 8; attempt++) {
      await this.flushing;
      if (attempt > 0) await new Promise((r) => setTimeout(r, backoff.next()));
      await this.flush();
    }
    return true;
  }

  /** One model call: its text and reasoning go out as deltas, its usage is counted. */
  async step(req: { turns: ChatTurn[]; tools?: ToolSpec[] }): Promise<StreamResult> {
    this.emitPending();
    // Where this call's parts begin: its text may be emitted before its usage comes.
    const start = this.parts.length;
    const result = await this.opts.models.stream({
      model: this.opts.model,
      turns: req.turns,
      signal: this.signal,
      onPiece: this.onPiece,
      gate: this.opts.ready,
      tools: req.tools,
    });
    const added = this.usage.record(result.usage);
    if (added !== null) {
      // What the last round's tool results added to this call's prompt.
      const credited = creditToolTokens(this.parts, added, start);
      for (const index of credited)
        this.emit({ type: 'part.updated', index, part: this.parts[index]! });
      if (credited.length) this.dirty = true;
    }
    return result;
  }

  /** Emits the pieces that wait, each merged into the last part when it is of its kind. */
  emitPending(): void {
    // this.parts changes only when its delta is emitted, so that the parts
    // written down always match the events emitted before the write.
    for (const { kind, text } of this.pending.splice(0)) {
      const last = this.parts.at(-1);
      let index = this.parts.length - 1;
      if (last && last.type === kind) last.text += text;
      else index = this.parts.push({ type: kind, text }) - 1;
      this.emit({ type: 'part.delta', index, part: kind, text });
    }
  }

  addPart(part: Part): number {
    const index = this.parts.push(part) - 1;
    this.emit({ type: 'part.added', index, part });
    return index;
  }

  setPart(index: number, part: Part): void {
    this.parts[index] = part;
    this.emit({ type: 'part.updated', index, part });
  }

  replaceParts(parts: Part[]): void {
    this.parts = parts;
    this.emit({ type: 'parts.replaced', parts });
  }

  private emit(ev: ReplyEvent): void {
    this.opts.sink.emit(ev);
    this.dirty = true;
  }

  // Pieces that arrive in one burst (one network read holds many chunks) go out as one delta.
  private readonly onPiece = (p: Piece): void => {
    const tail = this.pending.at(-1);
    if (tail?.kind === p.kind) tail.text += p.text;
    else if (this.pending.push({ ...p }) === 1) {
      // The first piece goes out at once: the rest of its burst may take
      // milliseconds to parse, and the user is waiting for the first token.
      if (this.parts.length === 0) this.emitPending();
      else setImmediate(() => this.emitPending());
    }
  };

  /** Writes a copy of the run's state; a failed write leaves it dirty, for the next try. */
  private async flush(): Promise<void> {
    if (!this.dirty || this.flushing) return;
    this.dirty = false;
    const calls = [...this.usage.calls];
    const state: ReplyState = {
      parts: this.parts.map((p) => ({ ...p })),
      status: this.status,
      usage: this.usage.total,
      calls,
      costMicros: totalCost(calls),
    };
    this.flushing = this.opts.store
      .save(state)
      .then(
        () => {},
        (err: unknown) => {
          this.dirty = true;
          this.opts.log.error({ err }, 'saving a reply failed; will retry');
        },
      )
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }
}
