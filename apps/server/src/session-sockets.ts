import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * The upgraded connections of each sign-in session: the chat socket, and the terminal and coder
 * sockets the server joins to their service. A WebSocket is authorised once, at its upgrade, so
 * ending a session (sign out, ended in Settings, the token replaced) also cuts the sockets it
 * opened; otherwise a session ended for good would keep its open terminals.
 */
export class SessionSockets {
  private readonly bySession = new Map<string, Set<Socket>>();

  /** Tracks every WebSocket upgrade of `app` made with a session (not with the bare token). */
  track(app: FastifyInstance): void {
    app.addHook('preValidation', async (req) => {
      if (!req.sessionId || req.headers.upgrade?.toLowerCase() !== 'websocket') return;
      this.add(req.sessionId, req.raw.socket);
    });
  }

  /** Cuts the sockets of `sessionId`. */
  end(sessionId: string): void {
    for (const socket of this.bySession.get(sessionId) ?? []) socket.destroy();
    this.bySession.delete(sessionId);
  }

  /** Cuts the sockets of every session but `keep` (the token was replaced). */
  endAllBut(keep: string | null): void {
    for (const id of [...this.bySession.keys()]) if (id !== keep) this.end(id);
  }

  private add(sessionId: string, socket: Socket): void {
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.bySession.get(sessionId) === set) this.bySession.delete(sessionId);
    });
  }
}
