import {
  AgentServerFrame,
  AgentSessionReply,
  CoderChat,
  type AgentFrame,
  type AgentSession,
} from '@boocode/protocol';
import type { Api } from './client.ts';

export interface AgentTask {
  provider: string;
  projectId: string;
  prompt: string;
  mode?: string;
  model?: string;
}

/** What a finished turn left: its text, the files it queued for review, how it ended. */
export interface AgentResult {
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
 * `onFrame` sees every frame as it comes.
 */
export async function runAgent(
  api: Api,
  task: AgentTask,
  onFrame: (frame: AgentFrame) => void = () => {},
): Promise<AgentResult> {
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
  return followTurn(api, started.session, onFrame);
}

/** Follows a session from its first frame until its first turn ends. */
export function followTurn(
  api: Api,
  first: AgentSession,
  onFrame: (frame: AgentFrame) => void,
): Promise<AgentResult> {
  let session = first;
  let text = '';
  const changedPaths: string[] = [];
  const result = (status: AgentResult['status'], reason: string): AgentResult => ({
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
    (m): AgentResult | undefined => {
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
