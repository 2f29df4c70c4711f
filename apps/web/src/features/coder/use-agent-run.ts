import { useEffect, useState, useSyncExternalStore } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { AgentServerFrame, type AgentSession } from '@boocode/protocol';
import { sessionSocketPath, sessionsKey } from './agent-api.ts';
import { emptyRun, foldAgentFrames, withSession, type AgentRunState } from './agent-run-state.ts';
import { coderKey } from './coder-api.ts';
import { LiveSocket } from './live-socket.ts';

/**
 * One session's run, kept outside React so that the socket folds each message the moment it
 * lands and a reconnect asks for the frames after the last seq applied, never an older one.
 */
class RunStore {
  private listeners = new Set<() => void>();
  private readonly socket: LiveSocket<AgentServerFrame>;

  constructor(
    private state: AgentRunState,
    private readonly qc: QueryClient,
  ) {
    this.socket = new LiveSocket({
      path: () => sessionSocketPath(this.state.sessionId, this.state.lastSeq),
      schema: AgentServerFrame,
      onMessage: (m) => this.apply(m),
    });
  }

  get = (): AgentRunState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
  }

  /** A session reported by REST (just started or prompted): its status until the socket's. */
  report(session: AgentSession): void {
    if (session.updatedAt < (this.state.session?.updatedAt ?? '')) return;
    this.set(withSession(this.state, session));
  }

  private apply(message: AgentServerFrame): void {
    if (message.type === 'session') {
      this.set(withSession(this.state, message.session));
      void this.qc.invalidateQueries({ queryKey: sessionsKey(message.session.chatId) });
      // A closed session sends nothing more: no point coming back.
      if (message.session.status === 'closed') this.stop();
      return;
    }
    const next = foldAgentFrames(this.state, message.frame);
    if (next === this.state) return;
    this.set(next);
    const type = message.frame.event.type;
    const chatId = next.session?.chatId;
    // The agent queued changes, or a turn ended: the review panel shows what is queued now.
    if ((type === 'changes' || type === 'done') && chatId) {
      void this.qc.invalidateQueries({ queryKey: coderKey(chatId) });
    }
  }

  private set(state: AgentRunState): void {
    this.state = state;
    for (const l of this.listeners) l();
  }
}

const noStore = {
  get: () => null,
  subscribe: () => () => {},
};

/**
 * The live run of an agent session: every frame so far, then each new one, from
 * WS /api/coder/sessions/:id/ws. Null without a session. `report` takes a newer session
 * from a REST answer.
 */
export function useAgentRun(session: AgentSession | null): {
  run: AgentRunState | null;
  report: (session: AgentSession) => void;
} {
  const qc = useQueryClient();
  const sessionId = session?.id ?? null;
  const [store, setStore] = useState<RunStore | null>(null);
  // The store is made while rendering the new session, so no frame of the old one shows with it.
  const current =
    sessionId && session
      ? store?.get().sessionId === sessionId
        ? store
        : new RunStore(emptyRun(sessionId, session), qc)
      : null;
  if (current !== store) setStore(current);

  useEffect(() => {
    if (!store) return;
    store.start();
    return () => store.stop();
  }, [store]);

  const live = store ?? noStore;
  const run = useSyncExternalStore(live.subscribe, live.get);
  return {
    run: run?.sessionId === sessionId ? run : null,
    report: (s: AgentSession) => store?.report(s),
  };
}
