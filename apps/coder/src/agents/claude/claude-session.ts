import type {
  PermissionMode,
  SDKMessage,
  SDKResultMessage,
  SessionStore,
} from '@anthropic-ai/claude-agent-sdk';
import type { Choice } from '@boocode/protocol';
import type { AgentBackend, AgentStartOptions, AgentStarted } from '../backend.ts';
import { LiveQuery } from './live-query.ts';
import { initialMapState, mapSdkMessage, savedTotalUsd, type MapState } from './map-message.ts';
import { askThroughSink } from './permissions.ts';

/** A session as its backends instance tracks it: closed on dispose. */
export interface ClaudeSession {
  close(): Promise<void>;
}

export interface ClaudeSessionOptions extends AgentStartOptions {
  store: SessionStore;
  idleMs: number;
  modes: Choice[];
  isMode(mode: string): mode is PermissionMode;
  onClosed(session: ClaudeSession): void;
}

interface Turn {
  resolve(outcome: { stopReason: string }): void;
  reject(err: Error): void;
}

/**
 * One agent session over the Claude Agent SDK. Its CLI stays warm between turns: a follow-up
 * prompt goes into the live query. Idle for `idleMs`, the query is closed; the next prompt
 * starts one that resumes Claude's session (from the PostgreSQL store), so the conversation
 * goes on. A turn ends at its `result` message.
 */
export class ClaudeSdkBackend implements AgentBackend, ClaudeSession {
  started: AgentStarted = { models: [], modes: [], currentModel: null, currentMode: null };
  private live: LiveQuery | null = null;
  private mode: PermissionMode = 'default';
  private claudeId: string | null;
  private state: MapState;
  private turn: Turn | null = null;
  private cancelling = false;
  private closing: Promise<void> | null = null;
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly opts: ClaudeSessionOptions) {
    this.claudeId = opts.resume ?? null;
    this.state = initialMapState();
  }

  /** The CLI's pid while a query is live (tests check that close leaves none). */
  get pid(): number | undefined {
    return this.live?.pid;
  }

  /** Starts the warm query and waits for the CLI's initialization (its models). */
  async open(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new Error('the start was cancelled');
    const mode = this.opts.mode ?? 'default';
    if (this.opts.isMode(mode)) this.mode = mode;
    else
      this.opts.sink.emit({
        type: 'error',
        message: `Claude has no mode "${mode}"; using default.`,
      });
    const live = (this.live = this.openQuery());
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    try {
      const init = await Promise.race([
        live.query.initializationResult(),
        new Promise<never>((_, reject) => {
          const silent = `the Claude CLI did not initialize within ${timeoutMs / 1000} s`;
          timer = setTimeout(() => reject(new Error(live.withStderr(silent))), timeoutMs);
        }),
        new Promise<never>((_, reject) => {
          onAbort = () => reject(new Error('the start was cancelled'));
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      ]);
      this.started = {
        models: init.models.map((m) => ({ id: m.value, name: m.displayName })),
        modes: this.opts.modes,
        currentModel: this.opts.model ?? null,
        currentMode: this.mode,
        thinkingLevels: effortLevels(init.models),
      };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (signal?.aborted || reason.startsWith('the Claude CLI')) throw err;
      // The SDK's own error (the CLI died, refused its options...): name the exit too.
      await live.settled();
      throw new Error(live.describe(`at start (${reason})`));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  resumeId(): string | null {
    return this.claudeId;
  }

  async prompt(text: string): Promise<{ stopReason: string }> {
    if (this.closing) throw new Error('the agent session is closed');
    if (this.turn) throw new Error('a turn is already running');
    clearTimeout(this.idle);
    this.cancelling = false;
    const done = new Promise<{ stopReason: string }>((resolve, reject) => {
      this.turn = { resolve, reject };
    });
    try {
      this.live ??= this.openQuery();
      this.live.send(text);
      return await done;
    } finally {
      this.turn = null;
      if (!this.closing && this.live) this.armIdle();
    }
  }

  async cancel(): Promise<void> {
    if (!this.turn || !this.live || this.closing) return;
    this.cancelling = true;
    // A CLI gone meanwhile has nothing left to interrupt: its turn already failed.
    await this.live.query.interrupt().catch(() => {});
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      clearTimeout(this.idle);
      const live = this.live;
      this.live = null;
      this.turn?.reject(new Error('the agent session is closed'));
      await live?.close();
      this.opts.onClosed(this);
    })();
    return this.closing;
  }

  private openQuery(): LiveQuery {
    // Results carry the query's running total; a new query's starts at 0, a resumed one's at
    // the total its transcript saved (read as the SDK loads it, below).
    this.state = { ...this.state, costUsd: 0 };
    const resume = this.claudeId ?? undefined;
    const live: LiveQuery = new LiveQuery({
      launch: this.opts.launch,
      cwd: this.opts.cwd,
      mode: this.mode,
      model: this.opts.model,
      effort: EFFORTS.find((e) => e === this.opts.thinking),
      resume,
      store: this.opts.store,
      canUseTool: askThroughSink(this.opts.sink),
      onResumeLoad: (entries) => {
        this.state = { ...this.state, costUsd: savedTotalUsd(entries) };
      },
      onMessage: (msg) => {
        if (this.live === live) this.onMessage(msg);
      },
      onEnd: (error) => {
        if (this.live !== live) return;
        this.live = null;
        clearTimeout(this.idle);
        this.turn?.reject(error ?? new Error('the Claude CLI ended'));
      },
    });
    return live;
  }

  private onMessage(msg: SDKMessage): void {
    if (msg.type === 'system' && msg.subtype === 'init') this.claudeId = msg.session_id;
    const out = mapSdkMessage(msg, this.state);
    this.state = out.state;
    for (const event of out.events) this.opts.sink.emit(event);
    if (msg.type === 'result') this.turn?.resolve({ stopReason: this.stopReasonOf(msg) });
  }

  private stopReasonOf(msg: SDKResultMessage): string {
    if (this.cancelling) return 'cancelled';
    if (msg.subtype === 'error_max_turns') return 'max_turn_requests';
    if (msg.subtype === 'error_max_budget_usd') return 'max_budget';
    const error =
      msg.subtype === 'success' ? (msg.is_error ? msg.result : null) : msg.errors.join('; ');
    if (error !== null) {
      this.opts.sink.emit({ type: 'error', message: error || 'the turn failed' });
      return 'error';
    }
    return msg.stop_reason ?? 'end_turn';
  }

  private armIdle(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const live = this.live;
      if (this.turn || !live) return;
      this.live = null;
      void live.close();
    }, this.opts.idleMs);
    this.idle.unref();
  }
}

/** Claude's effort levels, weakest first: its thinking levels. */
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

/** The effort levels any of the models takes, in order. */
function effortLevels(models: { supportedEffortLevels?: string[] }[]): Choice[] {
  const offered = new Set(models.flatMap((m) => m.supportedEffortLevels ?? []));
  return EFFORTS.filter((e) => offered.has(e)).map((e) => ({
    id: e,
    name: e === 'xhigh' ? 'Extra high' : e[0]!.toUpperCase() + e.slice(1),
  }));
}
