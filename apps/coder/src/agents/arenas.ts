import { existsSync } from 'node:fs';
import {
  deleteArena,
  getAgentResume,
  getArena,
  getChat,
  getProject,
  insertArena,
  listAgentEvents,
  listArenaSessions,
  listArenas,
  pickArena,
  setAgentResume,
  type ArenaRecord,
  type Sql,
} from '@boocode/db';
import { ProjectChanges } from '@boocode/files';
import {
  AppError,
  notFound,
  type AgentFrame,
  type AgentSession,
  type Arena,
  type ArenaDiff,
  type ArenaEntrant,
  type ArenaFile,
  type Project,
  type StartArenaBody,
} from '@boocode/protocol';
import { worktreeDiff } from './arena-diff.ts';
import type { AgentDeps, AgentSessions } from './sessions.ts';
import { syncWorktree } from './worktree-sync.ts';
import { openWorktree } from './worktrees.ts';

export interface ArenasOptions {
  sql: Sql;
  agents: AgentSessions;
  deps: AgentDeps;
}

/**
 * Arenas: one prompt to several entrants at once, each an agent session in its own worktree
 * whose changes are held there (SessionRun does not queue them); the pick queues the winner's
 * and closes the others.
 */
export class Arenas {
  constructor(private readonly opts: ArenasOptions) {}

  /** Starts every entrant on the prompt; nothing is left behind when one cannot start. */
  async start(body: StartArenaBody): Promise<Arena> {
    const { sql, agents, deps } = this.opts;
    const chat = await getChat(sql, body.chatId);
    if (!chat) throw notFound('chat');
    if (chat.kind !== 'coder' || !chat.projectId) {
      throw new AppError('conflict', 'An arena runs in a coder chat with a project.');
    }
    for (const e of body.entrants) {
      const kind = (await deps.describe?.(e.provider)) ?? { driver: 'acp', label: e.provider };
      if (kind.driver === 'pty' || kind.driver === 'builtin') {
        const why = kind.driver === 'pty' ? 'runs in a terminal' : 'is the coder chat itself';
        throw new AppError('bad_request', `${kind.label} ${why}; it cannot enter an arena.`);
      }
      await deps.resolveLaunch(e.provider, { model: e.model }); // off or missing: its 409 now
    }
    const arena = await insertArena(sql, {
      chatId: chat.id,
      projectId: chat.projectId,
      prompt: body.prompt,
    });
    const started: string[] = [];
    try {
      // One after the other (git adds worktrees of a repository one at a time); each turn runs
      // in the background, so the entrants work at once.
      for (const e of body.entrants) {
        const s = await agents.start({ chatId: chat.id, ...e, prompt: body.prompt }, arena.id);
        started.push(s.id);
      }
    } catch (err) {
      for (const id of started) await agents.close(id).catch(() => {});
      await deleteArena(sql, arena.id);
      throw err;
    }
    return this.get(arena.id);
  }

  async get(arenaId: string): Promise<Arena> {
    const record = await getArena(this.opts.sql, arenaId);
    if (!record) throw notFound('arena');
    const project = await getProject(this.opts.sql, record.projectId);
    const sessions = await listArenaSessions(this.opts.sql, [arenaId]);
    return this.arenaOf(record, sessions, project);
  }

  /** A chat's arenas, newest first; an unpicked one's files are left out (null) here. */
  async list(chatId: string): Promise<Arena[]> {
    const { sql } = this.opts;
    const records = await listArenas(sql, chatId);
    const sessions = await listArenaSessions(
      sql,
      records.map((r) => r.id),
    );
    const of = (arenaId: string) => sessions.filter((s) => s.arenaId === arenaId);
    return Promise.all(records.map((r) => this.arenaOf(r, of(r.id), null)));
  }

  /**
   * The winner's worktree changes become the chat's pending changes, the other entrants are
   * closed (their worktrees removed). Once: a second pick is a 409, and so is a winner that
   * failed, still works or was closed.
   */
  async pick(arenaId: string, sessionId: string): Promise<Arena> {
    const { sql, agents } = this.opts;
    const record = await getArena(sql, arenaId);
    if (!record) throw notFound('arena');
    if (record.pickedAt) throw new AppError('conflict', 'This arena already has its winner.');
    const sessions = await listArenaSessions(sql, [arenaId]);
    const winner = sessions.find((s) => s.id === sessionId);
    if (!winner) throw new AppError('bad_request', 'This session is not an entrant of the arena.');
    // Closed by a restart (its agent could not be resumed), an idle entrant keeps its worktree:
    // its work is done and can still win.
    const kept = winner.status === 'closed' && existsSync(winner.worktreePath);
    if (winner.status !== 'idle' && !kept) {
      const why =
        winner.status === 'failed'
          ? 'failed'
          : winner.status === 'closed'
            ? 'was closed'
            : 'is still working';
      throw new AppError('conflict', `This entrant ${why}; it cannot win.`);
    }
    const project = await getProject(sql, record.projectId);
    if (!project) throw notFound('project');
    const files: Record<string, ArenaFile[]> = {};
    for (const s of sessions) files[s.id] = (await this.filesOf(project, s)) ?? [];
    if (!(await pickArena(sql, arenaId, sessionId, files))) {
      throw new AppError('conflict', 'This arena already has its winner.');
    }
    const run = agents.live.get(sessionId);
    if (run) {
      await run.release();
      await run.written(); // its `changes` event is stored when the caller hears back
    } else await this.queueIdle(project, winner);
    for (const s of sessions) {
      if (s.id === sessionId) continue;
      if (s.status !== 'closed' || existsSync(s.worktreePath)) await agents.close(s.id);
    }
    return this.get(arenaId);
  }

  /** An entrant's worktree diff with its hunks; a 409 once its worktree is gone. */
  async diff(arenaId: string, sessionId: string): Promise<ArenaDiff> {
    const { sql } = this.opts;
    const record = await getArena(sql, arenaId);
    if (!record) throw notFound('arena');
    const s = (await listArenaSessions(sql, [arenaId])).find((x) => x.id === sessionId);
    if (!s) throw notFound('entrant');
    if (!existsSync(s.worktreePath)) {
      throw new AppError('conflict', "This entrant was closed; its worktree's diff is gone.");
    }
    const project = await getProject(sql, record.projectId);
    if (!project) throw notFound('project');
    const wt = await openWorktree(project.path, s.worktreePath);
    return { files: await worktreeDiff(wt, true) };
  }

  /** A winner with no live run (taken up after a restart): queued from where it stood. */
  private async queueIdle(project: Project, s: AgentSession): Promise<void> {
    const { sql } = this.opts;
    const changes = ProjectChanges.open(sql, project);
    if (!changes) throw new AppError('conflict', "The project's folder is gone.");
    const wt = await openWorktree(project.path, s.worktreePath);
    const resume = await getAgentResume(sql, s.id);
    const r = await syncWorktree(wt, resume?.syncedTree ?? wt.baseline, changes, s.chatId);
    await setAgentResume(sql, s.id, { resumeId: resume?.resumeId ?? null, syncedTree: r.tree });
  }

  /** What an entrant changed, from its worktree; null when that is gone. */
  private async filesOf(project: Project, s: AgentSession): Promise<ArenaFile[] | null> {
    if (!existsSync(s.worktreePath)) return null;
    try {
      return await worktreeDiff(await openWorktree(project.path, s.worktreePath));
    } catch {
      return null;
    }
  }

  private async arenaOf(
    r: ArenaRecord,
    sessions: AgentSession[],
    project: Project | null,
  ): Promise<Arena> {
    const entrants = await Promise.all(
      sessions.map(async (s): Promise<ArenaEntrant> => {
        const frames = await listAgentEvents(this.opts.sql, s.id);
        const kept = r.files?.[s.id];
        const files = kept ?? (project ? await this.filesOf(project, s) : null);
        return { session: s, ...answerOf(s, frames), files };
      }),
    );
    const { files: _, ...arena } = r;
    return { ...arena, entrants };
  }
}

/** The agent's text after its last prompt, and how long its first turn took. */
function answerOf(
  s: AgentSession,
  frames: AgentFrame[],
): Pick<ArenaEntrant, 'text' | 'durationMs'> {
  const lastPrompt = frames.findLastIndex((f) => f.event.type === 'prompt');
  const text = frames
    .slice(lastPrompt + 1)
    .map((f) => (f.event.type === 'message.delta' ? f.event.text : ''))
    .join('');
  const end = frames.find((f) => f.event.type === 'done' || f.event.type === 'error');
  const durationMs = end ? Math.max(0, Date.parse(end.at) - Date.parse(s.createdAt)) : null;
  return { text, durationMs };
}
