import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import {
  answerAgentPermission,
  appendAgentEvents,
  getAgentPermission,
  getAgentSession,
  getChat,
  getProject,
  insertAgentSession,
  listAgentEvents,
  listAgentSessions,
  listInbox,
  setAgentStatus,
  type Sql,
} from '@boocode/db';
import {
  AppError,
  notFound,
  type AgentEventList,
  type AgentSession,
  type InboxItem,
  type Project,
  type ProviderDriver,
  type StartSessionBody,
} from '@boocode/protocol';
import { AgentBus } from './agent-bus.ts';
import type { AgentLaunch, StartAgent } from './backend.ts';
import { PtyRun, removePtyLaunch, type PtyContext } from './pty-run.ts';
import { BACKEND_OF, recoverSessions, revivalOf } from './session-recovery.ts';
import { SessionRun } from './session-run.ts';
import { createWorktree, removeWorktree, type Worktree } from './worktrees.ts';

/** What the sessions need from outside: the provider registry and a backend. */
export interface AgentDeps {
  /** The process of a provider; throws AppError when it is unknown, disabled or not installed. */
  resolveLaunch(providerId: string, opts: { model?: string }): Promise<AgentLaunch>;
  startAgent: StartAgent;
  /** How a provider is driven, and its name; without it every provider is taken for ACP. */
  describe?(providerId: string): Promise<{ driver: ProviderDriver; label: string }>;
}

export interface AgentSessionsOptions {
  sql: Sql;
  /** `$BOOCODE_HOME`: worktrees go in its `worktrees/` folder. */
  home: string;
  deps: AgentDeps;
  log: FastifyBaseLogger;
  closeWaitMs?: number;
}

export { RESTART_REASON } from './session-recovery.ts';

/** Agent sessions: start, prompt, cancel, close, permissions, and their live bus. */
export class AgentSessions {
  readonly bus = new AgentBus();
  /** The running sessions' runs (an arena releases its winner's changes through it). */
  readonly live = new Map<string, SessionRun>();
  private readonly ptys = new Map<string, PtyRun>();
  private readonly reviving = new Map<string, Promise<SessionRun>>();

  constructor(private readonly opts: AgentSessionsOptions) {}

  /**
   * At start: what a previous process left live is ended, or taken up (session-recovery.ts).
   * Returns how many sessions ended.
   */
  async recover(): Promise<number> {
    const { ended, ptys } = await recoverSessions(this.opts.home, this.ptyContext());
    for (const pty of ptys) this.ptys.set(pty.session.id, pty);
    return ended;
  }

  /** `arenaId`: the session is an entrant of that arena (its changes are held until picked). */
  async start(body: StartSessionBody, arenaId?: string): Promise<AgentSession> {
    const { sql, home, deps } = this.opts;
    const chat = await getChat(sql, body.chatId);
    if (!chat) throw notFound('chat');
    if (chat.kind !== 'coder') {
      throw new AppError('conflict', 'Agents run in coder chats; this is a plain chat.');
    }
    if (!chat.projectId) throw new AppError('conflict', 'This chat has no project.');
    const project = await getProject(sql, chat.projectId);
    if (!project) throw notFound('project');
    const kind = (await deps.describe?.(body.provider)) ?? { driver: 'acp', label: body.provider };
    const prompt = body.prompt;
    if (kind.driver !== 'pty' && !prompt) {
      throw new AppError('bad_request', `A prompt is needed to start ${kind.label}.`);
    }
    const launch = await deps.resolveLaunch(body.provider, { model: body.model });
    const id = randomUUID();
    const worktree = await createWorktree(project.path, path.join(home, 'worktrees', id));
    let session: AgentSession;
    try {
      session = await insertAgentSession(sql, {
        id,
        chatId: chat.id,
        projectId: project.id,
        provider: body.provider,
        backend: BACKEND_OF[kind.driver],
        mode: body.mode ?? null,
        model: body.model ?? null,
        thinking: body.thinking ?? null,
        worktreePath: worktree.root,
        arenaId,
      });
    } catch (err) {
      await removeWorktree(project.path, worktree.root);
      throw err;
    }
    if (kind.driver === 'pty' || !prompt) {
      const pty = await PtyRun.start(
        this.ptyContext(),
        session,
        project,
        worktree,
        kind.label,
        launch,
      );
      this.ptys.set(id, pty);
      return this.get(id);
    }
    const run = this.newRun(session, project, worktree);
    run.begin(deps.startAgent, launch, prompt);
    await run.written(); // the prompt is in the session's events when the caller hears back
    return (await getAgentSession(sql, id)) ?? session;
  }

  private newRun(
    session: AgentSession,
    project: Project,
    worktree: Worktree,
    synced?: string,
  ): SessionRun {
    const { sql, log, closeWaitMs } = this.opts;
    const onFailed = (sessionId: string) => this.live.delete(sessionId);
    const run = new SessionRun(
      { sql, bus: this.bus, log, closeWaitMs, onFailed },
      session,
      project,
      worktree,
      synced,
    );
    this.live.set(session.id, run);
    return run;
  }

  /** A resumable session after a restart: its agent started again on its own conversation. */
  private async revive(s: AgentSession, text: string): Promise<SessionRun> {
    const { deps } = this.opts;
    const { project, worktree, resume, launch } = await revivalOf(this.opts.sql, deps, s);
    const run = this.newRun(s, project, worktree, resume.syncedTree ?? undefined);
    run.begin(deps.startAgent, launch, text, resume.resumeId ?? undefined);
    return run;
  }

  private ptyContext(): PtyContext {
    const { sql, home, log } = this.opts;
    return { sql, bus: this.bus, log, home };
  }

  /** Queues a `pty` session's worktree changes now; `ended`: its terminal exited (idle then). */
  async sync(
    sessionId: string,
    ended: boolean,
  ): Promise<{ session: AgentSession; paths: string[] }> {
    const run = this.ptys.get(sessionId);
    if (!run) {
      const s = await this.get(sessionId);
      const why = this.live.has(sessionId)
        ? 'its changes are queued after each turn'
        : `it is ${s.status}`;
      throw new AppError('conflict', `This session cannot be synced now: ${why}.`);
    }
    const paths = await run.sync(ended);
    return { session: await this.get(sessionId), paths };
  }

  async prompt(sessionId: string, text: string): Promise<AgentSession> {
    if (this.ptys.has(sessionId)) {
      throw new AppError('conflict', 'This agent runs in a terminal: type in it.');
    }
    let run = this.live.get(sessionId);
    if (run) run.prompt(text);
    else {
      const s = await this.get(sessionId);
      if (!s.resumable || s.status !== 'idle' || this.reviving.has(sessionId)) {
        const why = s.status === 'idle' ? 'being taken up again' : s.status;
        throw new AppError('conflict', `This session is ${why}; start a new one.`);
      }
      const revived = this.revive(s, text);
      this.reviving.set(sessionId, revived);
      run = await revived.finally(() => this.reviving.delete(sessionId));
    }
    await run.written(); // the caller hears back with the session running
    return this.get(sessionId);
  }

  async cancel(sessionId: string): Promise<AgentSession> {
    await this.live.get(sessionId)?.cancel();
    return this.get(sessionId);
  }

  /** Kills the agent, removes the worktree and marks the session closed. */
  async close(sessionId: string): Promise<AgentSession> {
    const session = await this.get(sessionId);
    const run = this.live.get(sessionId);
    const pty = this.ptys.get(sessionId);
    if (run) {
      await run.close();
      this.live.delete(sessionId);
    } else if (pty) {
      await pty.close();
      this.ptys.delete(sessionId);
    } else if (session.status !== 'closed') {
      const s = await setAgentStatus(this.opts.sql, sessionId, 'closed', session.error);
      if (s) this.bus.session(s);
    }
    const project = await getProject(this.opts.sql, session.projectId);
    await removeWorktree(project?.path ?? session.worktreePath, session.worktreePath);
    await removePtyLaunch(this.opts.home, sessionId);
    return this.get(sessionId);
  }

  /** Answers a permission request once: 404 unknown, 409 already settled, 400 not offered. */
  async answer(permissionId: string, optionId: string): Promise<void> {
    const { sql } = this.opts;
    const p = await getAgentPermission(sql, permissionId);
    if (!p) throw notFound('permission request');
    if (p.status !== 'pending') {
      throw new AppError('conflict', `This permission request was already ${p.status}.`);
    }
    if (!p.options.some((o) => o.id === optionId)) {
      throw new AppError('bad_request', `"${optionId}" is not one of the options offered.`);
    }
    const answered = await answerAgentPermission(sql, permissionId, optionId);
    if (!answered) throw new AppError('conflict', 'This permission request was already settled.');
    const run = this.live.get(p.sessionId);
    if (run) {
      run.resolvePermission(permissionId, optionId);
      await run.events.flush();
    } else {
      const frames = await appendAgentEvents(sql, p.sessionId, [
        { type: 'permission.resolved', permissionId, optionId },
      ]);
      this.bus.frames(frames);
    }
    this.bus.inboxChanged();
  }

  async get(sessionId: string): Promise<AgentSession> {
    const s = await getAgentSession(this.opts.sql, sessionId);
    if (!s) throw notFound('agent session');
    return s;
  }

  list(chatId: string): Promise<AgentSession[]> {
    return listAgentSessions(this.opts.sql, chatId);
  }

  async events(sessionId: string, afterSeq: number): Promise<AgentEventList> {
    const session = await this.get(sessionId);
    return { session, frames: await listAgentEvents(this.opts.sql, sessionId, afterSeq) };
  }

  inbox(): Promise<InboxItem[]> {
    return listInbox(this.opts.sql);
  }

  /**
   * Ends the runs whose session is gone from the database (its chat or project was deleted, and
   * the rows went with it): the agent is killed and its worktree removed. app.ts runs it every
   * 30 s. A pty session's terminal went with its row: booterm ends it (its own reconcile).
   */
  async sweep(): Promise<number> {
    let ended = 0;
    for (const [id, run] of [...this.live, ...this.ptys]) {
      if (await getAgentSession(this.opts.sql, id)) continue;
      this.live.delete(id);
      this.ptys.delete(id);
      if (run instanceof SessionRun) await run.abandon().catch(() => {});
      await removePtyLaunch(this.opts.home, id);
      await removeWorktree(run.project.path, run.session.worktreePath);
      ended++;
    }
    return ended;
  }

  /** At shutdown: every agent process is killed; the next start marks the sessions. */
  async shutdown(): Promise<void> {
    const runs = [...this.live.values()];
    this.live.clear();
    this.ptys.clear(); // their CLIs run on in booterm
    await Promise.all(runs.map((r) => r.abandon()));
  }
}
