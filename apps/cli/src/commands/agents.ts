import type { Command } from 'commander';
import {
  AgentEventList,
  AgentSessionList,
  type AgentFrame,
  type AgentSession,
} from '@boocode/protocol';
import { runAgent } from '../agent-run.ts';
import { CliError } from '../errors.ts';
import { jsonOption, show, table, type Context } from '../output.ts';
import { findProject } from '../resolve.ts';

/** One frame as a line or two for a person; text deltas go out as they are. */
function describe(frame: AgentFrame): string | null {
  const e = frame.event;
  switch (e.type) {
    case 'message.delta':
      return e.text;
    case 'tool.call':
      return `\n[tool] ${e.title} (${e.status})\n`;
    case 'permission.request':
      return `\n[asks] ${e.title}: answer with \`boocode inbox answer ${e.permissionId} <option>\` (${e.options.map((o) => o.id).join(', ')})\n`;
    case 'changes':
      return `\n[changes] ${e.paths.join(', ')} (pending review)\n`;
    case 'error':
      return `\n[error] ${e.message}\n`;
    case 'done':
      return `\n[done] ${e.stopReason}\n`;
    default:
      return null;
  }
}

const sessionRow = (s: AgentSession) => [s.id, s.provider, s.status, s.projectId, s.updatedAt];

export function agentsCommand(program: Command, ctx: Context): void {
  const agents = program.command('agents').description('run coding agents and see their sessions');

  agents
    .command('run')
    .description('start an agent session on a project, stream its events, exit when its turn ends')
    .argument('<provider>', 'the provider id: claude, opencode, qwen, ... (see the Settings)')
    .argument('<prompt>', 'what to do')
    .requiredOption('-p, --project <project>', 'the project: its name, folder or id')
    .option('--mode <mode>', "the agent's mode")
    .option('--model <model>', "the agent's model")
    .addOption(jsonOption().default(false))
    .action(
      async (
        provider: string,
        prompt: string,
        opts: { project: string; mode?: string; model?: string; json: boolean },
      ) => {
        const api = await ctx.api();
        const project = await findProject(api, opts.project);
        const frames: AgentFrame[] = [];
        const r = await runAgent(
          api,
          { provider, projectId: project.id, prompt, mode: opts.mode, model: opts.model },
          (f) => {
            if (opts.json) return void frames.push(f);
            const line = describe(f);
            if (line) ctx.out(line);
          },
        );
        if (opts.json) {
          const { session, status, reason, text, changedPaths } = r;
          show(ctx, true, { session, status, reason, text, changedPaths, frames }, () => []);
        }
        if (r.status === 'failed') throw new CliError(`The agent failed: ${r.reason}`);
      },
    );

  agents
    .command('status')
    .description('one session and its events, or the newest sessions of every chat')
    .argument('[session]', 'a session id')
    .addOption(jsonOption())
    .action(async (sessionId: string | undefined, opts: { json?: boolean }) => {
      const api = await ctx.api();
      if (sessionId) {
        const r = await api.get(AgentEventList, `/api/coder/sessions/${sessionId}/events`, {
          afterSeq: 0,
        });
        const s = r.session;
        return show(ctx, opts.json, r, () => [
          `${s.id}  ${s.provider}  ${s.status}${s.error ? `: ${s.error}` : ''}`,
          `worktree ${s.worktreePath}`,
          `tokens ${s.inputTokens} in, ${s.outputTokens} out; ${r.frames.length} event(s)`,
        ]);
      }
      const { sessions } = await api.get(AgentSessionList, '/api/coder/sessions');
      show(ctx, opts.json, { sessions }, () =>
        sessions.length ? table(sessions.map(sessionRow)) : ['No agent sessions.'],
      );
    });
}
