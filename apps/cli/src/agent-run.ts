import {
  followAgentTurn,
  runAgentTask,
  type AgentFrame,
  type AgentSession,
  type AgentTask,
  type AgentTurnResult,
} from '@boocode/protocol';
import type { Api } from './client.ts';

export type { AgentTask };
/** What a finished turn left: its text, the files it queued for review, how it ended. */
export type AgentResult = AgentTurnResult;

/**
 * Starts an agent session on a coder chat of its own over the project, and follows its events
 * until the first turn ends (`runAgentTask` of @boocode/protocol, which the server's Boomerang
 * `dispatch` shares). `onFrame` sees every frame as it comes.
 */
export function runAgent(
  api: Api,
  task: AgentTask,
  onFrame: (frame: AgentFrame) => void = () => {},
): Promise<AgentResult> {
  return runAgentTask(api, task, { onFrame });
}

/** Follows a session from its first frame until its first turn ends. */
export function followTurn(
  api: Api,
  first: AgentSession,
  onFrame: (frame: AgentFrame) => void,
): Promise<AgentResult> {
  return followAgentTurn(api, first, onFrame);
}
