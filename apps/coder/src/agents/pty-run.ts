import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { getProject, setAgentStatus, type Sql } from '@boocode/db';
import { ProjectChanges } from '@boocode/files';
import {
  AppError,
  PtyLaunchFile,
  type AgentSession,
  type AgentStatus,
  type Project,
} from '@boocode/protocol';
import { writeAtomic } from '../providers/config-file.ts';
import type { AgentBus } from './agent-bus.ts';
import type { AgentLaunch } from './backend.ts';
import { EventLog } from './event-log.ts';
import { changesEvent, syncWorktree } from './worktree-sync.ts';
import { removeWorktree, type Worktree } from './worktrees.ts';

/**
 * Where coder leaves a `pty` session's launch for booterm, which starts it in a terminal:
 * `$BOOCODE_HOME/agents/pty/<sessionId>.json` (booterm reads the same path).
 */
export function ptyLaunchPath(home: string, sessionId: string): string {
  return path.join(home, 'agents', 'pty', `${sessionId}.json`);
}

/** Writes the launch, 0600 in a 0700 folder: its env may hold the endpoint's key. */
export async function writePtyLaunch(
  home: string,
  sessionId: string,
  label: string,
  launch: AgentLaunch,
  worktree: Worktree,
): Promise<void> {
  const file = ptyLaunchPath(home, sessionId);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { cwd, baseline } = worktree;
  const doc: PtyLaunchFile = { sessionId, label, ...launch, cwd, baseline };
  await writeAtomic(file, `${JSON.stringify(doc)}\n`, 0o600);
}

/**
 * The worktree of a `pty` session a previous coder left, from its launch file: null when there
 * is none (not a pty session, or closed) or its worktree is gone.
 */
export async function ptyWorktree(home: string, session: AgentSession): Promise<Worktree | null> {
  const text = await readFile(ptyLaunchPath(home, session.id), 'utf8').catch(() => null);
  const parsed = text === null ? null : PtyLaunchFile.safeParse(safeJson(text));
  if (!parsed?.success || parsed.data.sessionId !== session.id) return null;
  const { cwd, baseline } = parsed.data;
  const root = session.worktreePath;
  const rel = path.relative(root, cwd);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  if (!(await stat(cwd).catch(() => null))?.isDirectory()) return null;
  return { root, cwd, prefix: rel === '' ? '' : `${rel.split(path.sep).join('/')}/`, baseline };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function removePtyLaunch(home: string, sessionId: string): Promise<void> {
  return rm(ptyLaunchPath(home, sessionId), { force: true });
}

export interface PtyContext {
  sql: Sql;
  bus: AgentBus;
  log: FastifyBaseLogger;
  home: string;
}

/**
 * A session whose CLI speaks no protocol: it runs in a BooTerm terminal the web opens, so coder
 * has no process of it. What it changed in its worktree is queued when the user collects it
 * (and when its terminal ends), with the same sync as an ACP turn's.
 */
export class PtyRun {
  readonly events: EventLog;
  private synced: string;
  private chain: Promise<unknown> = Promise.resolve();
  private closing = false;

  /** A new session: its launch written for booterm, status running; failed and cleaned if not. */
  static async start(
    ctx: PtyContext,
    session: AgentSession,
    project: Project,
    worktree: Worktree,
    label: string,
    launch: AgentLaunch,
  ): Promise<PtyRun> {
    try {
      await writePtyLaunch(ctx.home, session.id, label, launch, worktree);
    } catch (err) {
      await removeWorktree(project.path, worktree.root);
      await setAgentStatus(ctx.sql, session.id, 'failed', 'The terminal launch was not written.');
      throw err;
    }
    const run = new PtyRun(ctx, session, project, worktree);
    await run.setStatus('running');
    return run;
  }

  /**
   * A session a previous coder left (the recovery marked it failed or closed), live again as it
   * was: running, or idle. Null when it is no pty session, or its worktree or project is gone.
   */
  static async reopen(ctx: PtyContext, s: AgentSession): Promise<PtyRun | null> {
    const [worktree, project] = await Promise.all([
      ptyWorktree(ctx.home, s),
      getProject(ctx.sql, s.projectId),
    ]);
    if (!worktree || !project) return null;
    const run = new PtyRun(ctx, s, project, worktree);
    await run.setStatus(s.status === 'closed' ? 'idle' : 'running');
    return run;
  }

  constructor(
    private readonly ctx: PtyContext,
    readonly session: AgentSession,
    readonly project: Project,
    private readonly worktree: Worktree,
  ) {
    this.synced = worktree.baseline;
    this.events = new EventLog(ctx.sql, ctx.bus, session.id, (err) =>
      ctx.log.error({ err, sessionId: session.id }, 'agent event not written'),
    );
  }

  /**
   * Queues what changed since the last sync and emits `changes`; one sync at a time. `ended`:
   * the terminal's program exited, the session is idle (its changes may still be collected).
   */
  sync(ended: boolean): Promise<string[]> {
    if (this.closing) {
      return Promise.reject(new AppError('conflict', 'This session is being closed.'));
    }
    const run = this.chain.then(async () => {
      const queued = await this.queueChanges();
      if (ended) await this.setStatus('idle');
      return queued;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The launch file removed and the session closed; the worktree is the caller's. */
  async close(): Promise<void> {
    this.closing = true; // a sync asked from now on would write over the closed status
    await this.chain;
    await removePtyLaunch(this.ctx.home, this.session.id);
    await this.events.flush();
    await this.setStatus('closed');
  }

  private async queueChanges(): Promise<string[]> {
    const changes = ProjectChanges.open(this.ctx.sql, this.project);
    if (!changes) {
      this.ctx.log.warn({ sessionId: this.session.id }, 'project folder gone; changes not queued');
      return [];
    }
    const r = await syncWorktree(this.worktree, this.synced, changes, this.session.chatId);
    this.synced = r.tree;
    const event = changesEvent(r);
    if (event) this.events.emit(event);
    await this.events.flush();
    return r.queued;
  }

  private async setStatus(status: AgentStatus): Promise<void> {
    const s = await setAgentStatus(this.ctx.sql, this.session.id, status, null);
    if (s) this.ctx.bus.session(s);
  }
}
