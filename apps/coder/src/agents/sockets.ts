import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { AgentServerFrame, InboxList } from '@boocode/protocol';
import type { AgentSessions } from './sessions.ts';

function sender(socket: WebSocket) {
  return (message: AgentServerFrame | InboxList) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
}

/**
 * A session's socket: `{type:'session'}`, the frames after `afterSeq` from the database, then
 * live ones. It subscribes before it reads and drops frames at or below the last seq sent, so
 * there is no gap and no duplicate between the replay and the live stream.
 */
export async function followSession(
  socket: WebSocket,
  agents: AgentSessions,
  sessionId: string,
  afterSeq: number,
  log: FastifyBaseLogger,
): Promise<void> {
  const send = sender(socket);
  let lastSeq = afterSeq;
  let sessionAt = '';
  const deliver = (m: AgentServerFrame) => {
    if (m.type === 'frame') {
      if (m.frame.seq <= lastSeq) return;
      lastSeq = m.frame.seq;
    } else {
      if (m.session.updatedAt < sessionAt) return; // the replay already showed a newer state
      sessionAt = m.session.updatedAt;
    }
    send(m);
  };
  let buffered: AgentServerFrame[] | null = [];
  const unsubscribe = agents.bus.subscribe(sessionId, (m) =>
    buffered ? buffered.push(m) : deliver(m),
  );
  socket.on('close', unsubscribe);
  try {
    const { session, frames } = await agents.events(sessionId, afterSeq);
    deliver({ type: 'session', session });
    for (const frame of frames) deliver({ type: 'frame', frame });
    for (const m of buffered) deliver(m);
    buffered = null;
  } catch (err) {
    unsubscribe();
    log.info({ err, sessionId }, 'agent session socket refused');
    socket.close(4404, 'no such session');
  }
}

/** The inbox's socket: the whole list on connect and after each change, never out of order. */
export function followInbox(socket: WebSocket, agents: AgentSessions, log: FastifyBaseLogger) {
  const send = sender(socket);
  let sending = false;
  let again = false;
  const push = async () => {
    if (sending) return void (again = true);
    sending = true;
    try {
      do {
        again = false;
        send({ items: await agents.inbox() });
      } while (again && socket.readyState === socket.OPEN);
    } catch (err) {
      log.warn({ err }, 'inbox not sent');
    } finally {
      sending = false;
    }
  };
  const off = agents.bus.onInbox(() => void push());
  socket.on('close', off);
  void push();
}
