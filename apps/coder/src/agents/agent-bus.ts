import type { AgentFrame, AgentServerFrame, AgentSession } from '@boocode/protocol';

type SessionListener = (frame: AgentServerFrame) => void;
type InboxListener = () => void;

/**
 * The live side of agent sessions, in memory: a session's frames as they are persisted and its
 * status changes, and a signal each time the inbox changes. `subscribe` returns an idempotent
 * unsubscribe; one listener's throw stops no other.
 */
export class AgentBus {
  private readonly sessions = new Map<string, Set<SessionListener>>();
  private readonly inbox = new Set<InboxListener>();

  subscribe(sessionId: string, listener: SessionListener): () => void {
    let set = this.sessions.get(sessionId);
    if (!set) {
      set = new Set();
      this.sessions.set(sessionId, set);
    }
    set.add(listener);
    return () => {
      const current = this.sessions.get(sessionId);
      if (!current?.delete(listener)) return;
      if (current.size === 0) this.sessions.delete(sessionId);
    };
  }

  frames(frames: AgentFrame[]): void {
    for (const frame of frames) this.send(frame.sessionId, { type: 'frame', frame });
  }

  session(session: AgentSession): void {
    this.send(session.id, { type: 'session', session });
  }

  onInbox(listener: InboxListener): () => void {
    this.inbox.add(listener);
    return () => void this.inbox.delete(listener);
  }

  inboxChanged(): void {
    for (const l of [...this.inbox]) safely(l);
  }

  private send(sessionId: string, message: AgentServerFrame): void {
    const set = this.sessions.get(sessionId);
    if (!set) return;
    for (const l of [...set]) safely(() => l(message));
  }
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // A listener's fault is its own (a closed socket...): the others still hear.
  }
}
