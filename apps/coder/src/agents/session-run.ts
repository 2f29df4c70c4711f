import type { FastifyBaseLogger } from 'fastify';
import {
  arenaWinner,
  cancelAgentPermissions,
  insertAgentPermission,
  setAgentResume,
  setAgentStatus,
  type Sql,
} from '@boocode/db';
import { ProjectChanges } from '@boocode/files';
import {
  AppError,
  type AgentEvent,
  type AgentSession,
  type AgentStatus,
  type Project,
} from '@boocode/protocol';
import type { AgentBus } from './agent-bus.ts';
import type {
  AgentBackend,
  AgentLaunch,
  AgentSink,
  PermissionAnswer,
  StartAgent,
} from './backend.ts';
import { EventLog } from './event-log.ts';
import { reasonOf, waitAtMost } from './run-helpers.ts';
import { changesEvent, syncWorktree } from './worktree-sync.ts';
import { shortPaths, type Worktree } from './worktrees.ts';

export interface RunContext {
  sql: Sql;
  bus: AgentBus;
  log: FastifyBaseLogger;
  /** How long close waits for a turn to end after its process was killed, ms. */
  closeWaitMs?: number;
  /** The run failed: nothing more will happen in it. */
  onFailed?: (sessionId: string) => void;
}

/** Events only the session itself adds; a backend that sends one is not listened to. */
const SESSION_EVENTS = new Set<AgentEvent['type']>([
  'prompt',
  'changes',
  'permission.request',
  'permission.resolved',
]);

/**
 * One live agent session: its backend, its turns, its permission requests and the sync of its
 * worktree into the project's pending queue after every turn. The status in memory is the truth
 * for "may a prompt start now"; its writes to the database go out in order.
 */
export class SessionRun {
  readonly events: EventLog;
  private backend: AgentBackend | null = null;
  private state: AgentStatus;
  private turn: Promise<void> | null = null;
  private closing = false;
  private cancelled = false;
  private heldDone: string | null = null;
  private synced: string;
  /** An arena's entrant (its arena): its changes stay in its worktree until it is picked. */
  private held: string | null;
  private statusChain: Promise<void> = Promise.resolve();
  private readonly waiting = new Map<string, (answer: PermissionAnswer) => void>();

  constructor(
    private readonly ctx: RunContext,
    readonly session: AgentSession,
    readonly project: Project,
    private readonly worktree: Worktree,
    /** The tree last queued (a resumed session's); the baseline for a new one. */
    synced: string = worktree.baseline,
  ) {
    this.state = session.status;
    this.synced = synced;
    this.held = session.arenaId ?? null;
    this.events = new EventLog(ctx.sql, ctx.bus, session.id, (err) =>
      ctx.log.error({ err, sessionId: session.id }, 'agent event not written'),
    );
  }

  get id(): string {
    return this.session.id;
  }

  /**
   * Starts the agent and runs the first prompt, in the background; `resume`: the backend's own
   * session to take up (a resumed session after a restart).
   */
  begin(startAgent: StartAgent, launch: AgentLaunch, text: string, resume?: string): void {
    if (this.state !== 'starting') void this.setStatus('starting');
    this.events.emit({ type: 'prompt', text });
    this.turn = (async () => {
      try {
        const backend = await startAgent({
          launch,
          cwd: this.worktree.cwd,
          mode: this.session.mode ?? undefined,
          model: this.session.model ?? undefined,
          thinking: this.session.thinking ?? undefined,
          sink: this.sink(),
          sessionId: this.id,
          ...(resume ? { resume } : {}),
        });
        if (this.closing) return void (await backend.close().catch(() => {}));
        this.backend = backend;
      } catch (err) {
        this.turn = null;
        return this.fail(`The agent did not start: ${reasonOf(err)}`);
      }
      if (this.cancelled) return this.endTurn({ stopReason: 'cancelled' });
      await this.runTurn(text);
    })();
  }

  /** A follow-up prompt; 409 while a turn runs or once the session failed or closed. */
  prompt(text: string): void {
    if (this.state !== 'idle') {
      const busy = this.state === 'running' || this.state === 'starting';
      throw new AppError(
        'conflict',
        busy ? 'The agent is still working on a turn.' : `This session is ${this.state}.`,
      );
    }
    this.cancelled = false;
    this.events.emit({ type: 'prompt', text });
    this.turn = this.runTurn(text);
  }

  /** Stops the running turn (the agent ends it as cancelled); pending permissions are cancelled. */
  async cancel(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'starting') return;
    this.cancelled = true;
    await this.cancelPermissions();
    await this.backend?.cancel();
  }

  /** Kills the agent and marks the session closed; the worktree is the caller's. */
  async close(): Promise<void> {
    this.closing = true;
    await this.cancelPermissions();
    await this.backend?.close().catch((err: unknown) => this.ctx.log.warn({ err }, 'close'));
    if (this.turn) await waitAtMost(this.turn, this.ctx.closeWaitMs ?? 5000);
    await this.events.flush();
    await this.setStatus('closed');
  }

  /** At shutdown: the agent is killed, the status left for the next start's recovery. */
  async abandon(): Promise<void> {
    this.closing = true;
    await this.backend?.close().catch(() => {});
    if (this.turn) await waitAtMost(this.turn, this.ctx.closeWaitMs ?? 5000);
    await this.keepResume(); // a first turn cut short can be taken up too
    await this.written();
  }

  /** Resolves a permission this run is waiting on (already answered in the database). */
  resolvePermission(permissionId: string, optionId: string): void {
    const resolve = this.waiting.get(permissionId);
    this.waiting.delete(permissionId);
    this.events.emit({ type: 'permission.resolved', permissionId, optionId });
    resolve?.({ optionId });
  }

  /** An arena's winner: what its worktree changed is queued now, and after every turn on. */
  async release(): Promise<void> {
    this.held = null;
    await this.sync();
    await this.keepResume();
  }

  /** Resolves when every event and status change so far is in the database. */
  async written(): Promise<void> {
    await this.events.flush();
    await this.statusChain;
  }

  private async runTurn(text: string): Promise<void> {
    this.heldDone = null;
    // Not awaited: the status is in memory at once, and its writes keep their order.
    void this.setStatus('running');
    let outcome: { stopReason: string } | { error: string };
    try {
      outcome = await this.backend!.prompt(text);
    } catch (err) {
      outcome = { error: reasonOf(err) };
    }
    if (this.closing) return;
    await this.sync();
    await this.keepResume();
    if ('error' in outcome) {
      this.turn = null;
      return this.fail(outcome.error);
    }
    await this.endTurn(outcome);
  }

  private async endTurn(outcome: { stopReason: string }): Promise<void> {
    this.events.emit({ type: 'done', stopReason: this.heldDone ?? outcome.stopReason });
    this.heldDone = null;
    await this.events.flush();
    this.turn = null;
    await this.setStatus('idle');
  }

  /** The agent is gone: permissions cancelled, the reason as an event, no child left. */
  private async fail(reason: string): Promise<void> {
    if (this.closing) return;
    await this.cancelPermissions();
    this.events.emit({ type: 'error', message: reason });
    await this.events.flush();
    const status = this.setStatus('failed', reason);
    await this.backend?.close().catch((err: unknown) => this.ctx.log.warn({ err }, 'close'));
    await status;
    this.ctx.onFailed?.(this.id);
  }

  /** Queues what the turn changed in the worktree as pending changes of the session's chat. */
  private async sync(): Promise<void> {
    if (this.held && (await arenaWinner(this.ctx.sql, this.held)) !== this.id) return;
    const changes = ProjectChanges.open(this.ctx.sql, this.project);
    if (!changes) {
      this.ctx.log.warn({ sessionId: this.id }, 'project folder gone; changes not queued');
      return;
    }
    try {
      const r = await syncWorktree(this.worktree, this.synced, changes, this.session.chatId);
      this.synced = r.tree;
      const event = changesEvent(r);
      if (event) this.events.emit(event);
    } catch (err) {
      this.ctx.log.error({ err, sessionId: this.id }, 'worktree sync failed');
    }
  }

  /** A backend that can take its session up again: what a restart needs, saved. */
  private async keepResume(): Promise<void> {
    const resumeId = this.backend?.resumeId() ?? null;
    if (resumeId === null) return;
    await setAgentResume(this.ctx.sql, this.id, { resumeId, syncedTree: this.synced }).catch(
      (err: unknown) => this.ctx.log.error({ err, sessionId: this.id }, 'resume not saved'),
    );
  }

  private sink(): AgentSink {
    return {
      emit: (event) => {
        if (this.closing || this.state === 'failed') return;
        if (event.type === 'done') this.heldDone = event.stopReason;
        else if (SESSION_EVENTS.has(event.type)) return;
        else if ((event.type === 'tool.call' || event.type === 'tool.update') && event.title) {
          this.events.emit({ ...event, title: shortPaths(event.title, this.worktree.cwd) });
        } else this.events.emit(event);
      },
      requestPermission: async (ask) => {
        if (this.closing || this.cancelled || this.state !== 'running') return { cancelled: true };
        const p = await insertAgentPermission(this.ctx.sql, {
          sessionId: this.id,
          ...ask,
          title: shortPaths(ask.title, this.worktree.cwd),
        });
        return new Promise<PermissionAnswer>((resolve) => {
          this.waiting.set(p.id, resolve);
          this.events.emit({
            type: 'permission.request',
            permissionId: p.id,
            toolCallId: p.toolCallId,
            title: p.title,
            options: p.options,
          });
          this.ctx.bus.inboxChanged();
        });
      },
    };
  }

  private async cancelPermissions(): Promise<void> {
    const ids = await cancelAgentPermissions(this.ctx.sql, this.id);
    for (const permissionId of ids) {
      const resolve = this.waiting.get(permissionId);
      this.waiting.delete(permissionId);
      this.events.emit({ type: 'permission.resolved', permissionId, optionId: null });
      resolve?.({ cancelled: true });
    }
    if (ids.length > 0) this.ctx.bus.inboxChanged();
  }

  private setStatus(status: AgentStatus, error: string | null = null): Promise<void> {
    this.state = status;
    this.statusChain = this.statusChain
      .then(async () => {
        const s = await setAgentStatus(this.ctx.sql, this.id, status, error);
        if (s) this.ctx.bus.session(s);
      })
      .catch((err: unknown) => this.ctx.log.error({ err }, 'agent status not written'));
    return this.statusChain;
  }
}
