import { z } from 'zod';
import {
  DispatchArgs,
  runAgentTask,
  type AgentSession,
  type DispatchResult,
  type ToolCallPart,
} from '@boocode/protocol';
import type { CoderClient } from '../coder-client.ts';
import { parseArguments, type ToolResult, type ToolSource } from './toolbox.ts';

/** The agent's final text in a dispatch result: more is cut, with a note. */
export const MAX_SUMMARY_CHARS = 8000;

const dispatchSpec = {
  name: 'dispatch',
  description:
    "Hand a self-contained task to a coding agent (a provider such as claude, opencode, qwen) in its own worktree of this chat's project; waits for its turn to end and answers its status (done, failed, cancelled), a summary (its final text), the files it changed (queued for the user's review) and its session id. Several dispatch calls in one reply run at the same time.",
  parameters: z.toJSONSchema(DispatchArgs) as Record<string, unknown>,
};

/**
 * Boomerang: the `dispatch` tool of a coder chat. Each call starts an ordinary agent session
 * (its own coder chat over the project, its own worktree, its changes queued for review) through
 * coder's API and follows it until its first turn ends; the chat's reply stopping cancels it.
 */
export function dispatchToolSource(coder: CoderClient): ToolSource {
  return ({ chat }) => {
    if (chat.kind !== 'coder' || !chat.projectId) return null;
    const projectId = chat.projectId;
    return {
      specs: [dispatchSpec],
      parallel: new Set(['dispatch']),
      system:
        'You can hand tasks to other coding agents with dispatch (provider, prompt); give each a self-contained prompt, and dispatch independent tasks in the same reply so they run in parallel. Each answers a JSON result; a failed one says why.',
      async run(call, signal, update) {
        const parsed = parseArguments(call);
        if (!parsed.ok) return parsed;
        const args = DispatchArgs.safeParse(parsed.args);
        if (!args.success) {
          return { ok: false, text: `Invalid arguments: ${z.prettifyError(args.error)}` };
        }
        const task = { ...args.data, projectId };
        return asToolResult(await dispatch(coder, task, signal, (s) => update?.({ subtask: s })));
      },
    };
  };
}

/** One subtask from start to its result; never throws. */
export async function dispatch(
  coder: CoderClient,
  task: DispatchArgs & { projectId: string },
  signal: AbortSignal,
  onStarted: (s: NonNullable<ToolCallPart['subtask']>) => void = () => {},
): Promise<DispatchResult> {
  let session: AgentSession | null = null;
  const cancelled = (): DispatchResult => ({
    status: 'cancelled',
    summary: '',
    changedPaths: [],
    sessionId: session?.id ?? null,
    error: 'The parent reply was stopped.',
  });
  if (signal.aborted) return cancelled();
  // The parent stopping cancels the subtask's turn (its session stays, to be opened).
  const onAbort = () => {
    if (session)
      void coder.post(z.unknown(), `/api/coder/sessions/${session.id}/cancel`).catch(() => {});
  };
  signal.addEventListener('abort', onAbort);
  try {
    const r = await runAgentTask(coder.withSignal(signal), task, {
      onStarted: (s) => {
        session = s;
        onStarted({
          sessionId: s.id,
          chatId: s.chatId,
          projectId: s.projectId,
          provider: s.provider,
        });
        if (signal.aborted) onAbort();
      },
    });
    const summary = cap(r.text);
    if (r.status === 'failed') {
      return {
        status: 'failed',
        summary,
        changedPaths: r.changedPaths,
        sessionId: r.session.id,
        error: r.reason,
      };
    }
    return {
      status: r.reason === 'cancelled' ? 'cancelled' : 'done',
      summary,
      changedPaths: r.changedPaths,
      sessionId: r.session.id,
    };
  } catch (err) {
    if (signal.aborted) return cancelled();
    return {
      status: 'failed',
      summary: '',
      changedPaths: [],
      sessionId: (session as AgentSession | null)?.id ?? null,
      error: err instanceof Error ? err.message : String(err),
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function asToolResult(r: DispatchResult): ToolResult {
  return { ok: r.status === 'done', text: JSON.stringify(r, null, 2) };
}

function cap(text: string): string {
  return text.length > MAX_SUMMARY_CHARS
    ? `${text.slice(0, MAX_SUMMARY_CHARS)}\n[cut at ${MAX_SUMMARY_CHARS} characters]`
    : text;
}
