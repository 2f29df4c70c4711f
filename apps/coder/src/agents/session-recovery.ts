import {
  appendAgentEvents,
  cancelAgentPermissions,
  getAgentResume,
  getProject,
  recoverAgentSessions,
  type AgentResume,
  type Sql,
} from '@boocode/db';
import {
  notFound,
  type AgentBackendKind,
  type AgentSession,
  type Project,
  type ProviderDriver,
} from '@boocode/protocol';
import type { AgentLaunch } from './backend.ts';
import { PtyRun, removePtyLaunch, type PtyContext } from './pty-run.ts';
import type { AgentDeps } from './sessions.ts';
import { openWorktree, type Worktree } from './worktrees.ts';

export const RESTART_REASON = 'coder restarted while the agent was running';

/**
 * At start: the sessions a previous process left live are failed (starting, running) or closed
 * (idle), their pending permissions cancelled; a resumable one stays idle, its interrupted turn
 * marked done, for its next prompt to take it up. Their worktrees stay until they are deleted.
 * A `pty` session is taken up again: its CLI runs on in booterm, without coder.
 */
export async function recoverSessions(
  home: string,
  ctx: PtyContext,
): Promise<{ ended: number; ptys: PtyRun[] }> {
  const { sql } = ctx;
  const sessions = await recoverAgentSessions(sql, RESTART_REASON);
  const ptys: PtyRun[] = [];
  let ended = 0;
  for (const s of sessions) {
    const pty = await PtyRun.reopen(ctx, s);
    if (pty) {
      ptys.push(pty);
      continue;
    }
    if (s.status !== 'idle') ended++;
    await removePtyLaunch(home, s.id);
    const ids = await cancelAgentPermissions(sql, s.id);
    const cut = s.status === 'idle' && s.was !== 'idle';
    await appendAgentEvents(sql, s.id, [
      ...ids.map((permissionId) => ({
        type: 'permission.resolved' as const,
        permissionId,
        optionId: null,
      })),
      ...(s.status === 'failed' ? [{ type: 'error' as const, message: RESTART_REASON }] : []),
      ...(cut ? [{ type: 'done' as const, stopReason: 'interrupted' }] : []),
    ]);
  }
  return { ended, ptys };
}

/** The backend a provider's driver means, as agent_sessions.backend records it. */
export const BACKEND_OF: Record<ProviderDriver, AgentBackendKind> = {
  acp: 'acp',
  http: 'opencode',
  sdk: 'claude_sdk',
  pty: 'pty',
  builtin: 'acp',
};

/**
 * What a resumable session needs to start again after a restart: its project, its worktree
 * (a 409 when it is gone), where it stood and how to launch its agent now.
 */
export async function revivalOf(
  sql: Sql,
  deps: Pick<AgentDeps, 'resolveLaunch'>,
  s: AgentSession,
): Promise<{ project: Project; worktree: Worktree; resume: AgentResume; launch: AgentLaunch }> {
  const project = await getProject(sql, s.projectId);
  if (!project) throw notFound('project');
  const worktree = await openWorktree(project.path, s.worktreePath);
  const resume = (await getAgentResume(sql, s.id)) ?? { resumeId: null, syncedTree: null };
  const launch = await deps.resolveLaunch(s.provider, { model: s.model ?? undefined });
  return { project, worktree, resume, launch };
}
