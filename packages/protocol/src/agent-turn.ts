import { z } from 'zod';
import {
  AgentServerFrame,
  AgentSessionReply,
  type AgentFrame,
  type AgentSession,
} from './agent.ts';
import { CoderChat } from './coder.ts';

/**
 * One agent turn from start to end over the coder API, for any client of it (the CLI and its MCP
 * `dispatch`, the server's Boomerang `dispatch` tool): each brings its own transport.
 */
export interface AgentTurnApi {
  post<S extends z.ZodType>(schema: S, pathname: string, body?: unknown): Promise<z.infer<S>>;
  /**
   * Opens the WebSocket at `pathname` and hands each message, parsed with `schema`, to
   * `onMessage` until it returns something other than undefined, which resolves the promise.
   */
  follow<S extends z.ZodType, T>(
    pathname: string,
    query: Record<string, string | number | undefined>,
    schema: S,
    onMessage: (m: z.infer<S>) => T | undefined,
  ): Promise<T>;
}

export interface AgentTask {
  provider: string;
  projectId: string;
  prompt: string;
  mode?: string;
  model?: string;
}

/** What a finished turn left: its text, the files it queued for review, how it ended. */
export interface AgentTurnResult {
  session: AgentSession;
  status: 'done' | 'failed';
  /** end_turn, cancelled, ... when done; the reason when failed. */
  reason: string;
  text: string;
  changedPaths: string[];
}

/**
 * Starts an agent session on a coder chat of its own over the project, and follows its events
 * until the first turn ends (a `done` or `error` event, or the session failing or closing).
 * `onStarted` sees the session once it exists; `onFrame` every frame as it comes.
 */
export async function runAgentTask(
  api: AgentTurnApi,
  task: AgentTask,
  hooks: { onStarted?: (s: AgentSession) => void; onFrame?: (f: AgentFrame) => void } = {},
): Promise<AgentTurnResult> {
  const { chat } = await api.post(CoderChat, '/api/coder/chats', {
    projectId: task.projectId,
    title: `${task.provider}: ${task.prompt.slice(0, 60)}`,
  });
  const started = await api.post(AgentSessionReply, '/api/coder/sessions', {
    chatId: chat.id,
    provider: task.provider,
    prompt: task.prompt,
    ...(task.mode ? { mode: task.mode } : {}),
    ...(task.model ? { model: task.model } : {}),
  });
  hooks.onStarted?.(started.session);
  return followAgentTurn(api, started.session, hooks.onFrame);
}

/** Follows a session from its first frame until its first turn ends. */
export function followAgentTurn(
  api: AgentTurnApi,
  first: AgentSession,
  onFrame: (frame: AgentFrame) => void = () => {},
): Promise<AgentTurnResult> {
  let session = first;
  let text = '';
  const changedPaths: string[] = [];
  const result = (status: AgentTurnResult['status'], reason: string): AgentTurnResult => ({
    session,
    status,
    reason,
    text,
    changedPaths,
  });
  return api.follow(
    `/api/coder/sessions/${first.id}/ws`,
    { afterSeq: 0 },
    AgentServerFrame,
    (m): AgentTurnResult | undefined => {
      if (m.type === 'session') {
        session = m.session;
        if (m.session.status === 'failed' || m.session.status === 'closed') {
          return result('failed', m.session.error ?? `the session is ${m.session.status}`);
        }
        return undefined;
      }
      onFrame(m.frame);
      const e = m.frame.event;
      if (e.type === 'message.delta') text += e.text;
      if (e.type === 'changes') changedPaths.push(...e.paths);
      if (e.type === 'done') return result('done', e.stopReason);
      if (e.type === 'error') return result('failed', e.message);
      return undefined;
    },
  );
}

/** The arguments of Boomerang's `dispatch` tool, as the model gives them. */
export const DispatchArgs = z.object({
  provider: z.string().min(1).describe('The agent provider, such as "claude", "opencode", "qwen".'),
  prompt: z.string().min(1).describe('A self-contained task: the agent sees nothing else.'),
  mode: z.string().optional().describe("The agent's mode, when not its default."),
  model: z.string().optional().describe("The agent's model, when not its default."),
});
export type DispatchArgs = z.infer<typeof DispatchArgs>;

/**
 * What Boomerang's `dispatch` tool answers the model (as JSON, its tool result's text), always: a
 * failed start, a crash, an unknown or disabled provider are a `failed` result, a stopped parent a
 * `cancelled` one.
 */
export const DispatchResult = z.object({
  status: z.enum(['done', 'failed', 'cancelled']),
  /** The agent's final text, capped. */
  summary: z.string(),
  changedPaths: z.array(z.string()),
  /** Null when no session was started. */
  sessionId: z.string().nullable(),
  error: z.string().optional(),
});
export type DispatchResult = z.infer<typeof DispatchResult>;
