import type { AgentSession, CoderPaneState } from '@boocode/protocol';

export type PtyTerminal = NonNullable<CoderPaneState['ptyTerminal']>;

const isLive = (s: AgentSession) => s.status === 'running' || s.status === 'idle';

/**
 * What a pty pane shows: the session its state names while it is live, else the newest live one
 * of the provider (newest first in `list`); its terminal only when the state names both, else
 * none (Start opens one for the session).
 */
export function ptyView(
  list: AgentSession[] | undefined,
  provider: string,
  stored: PtyTerminal | undefined,
): { session: AgentSession | null; terminalId: string | null } {
  const session =
    list?.find((s) => s.id === stored?.sessionId && isLive(s)) ??
    list?.find((s) => s.provider === provider && isLive(s)) ??
    null;
  const terminalId = session && stored?.sessionId === session.id ? stored.terminalId : null;
  return { session, terminalId };
}
