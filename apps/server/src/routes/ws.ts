import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, ClientFrame, type ServerFrame } from '@boocode/protocol';
import { databaseUnavailable, isDatabaseDown } from '@boocode/service';
import type { Bus } from '../chat/bus.ts';
import type { ChatService } from '../chat/chat-service.ts';

/** A socket with more than this waiting to be sent is dropped; it resumes by seq. */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

export interface WsOptions {
  chats: ChatService;
  /** Broadcasts to every socket (`chats.changed`). */
  broadcast: Bus<ServerFrame>;
  slowConsumerBytes?: number;
}

/** The browser's one socket: chat subscriptions by seq, and chat list changes. */
export const wsRoutes: FastifyPluginAsync<WsOptions> = async (
  app,
  { chats, broadcast, slowConsumerBytes = SLOW_CONSUMER_BYTES },
) => {
  app.get('/api/ws', { websocket: true }, (socket: WebSocket, req) => {
    const subs = new Map<string, () => void>();
    /** The latest subscribe per chat still replaying; a newer one makes it stop. */
    const pending = new Map<string, object>();
    let closed = false;

    // The limit is checked right after each send: the frame that passes it drops the socket
    // at once. Checked before a send instead, the drop would wait for a next frame, and a
    // replay waiting for the socket to drain sends none: a reader that stopped stayed forever.
    const send = (frame: ServerFrame) => {
      if (closed) return;
      socket.send(JSON.stringify(frame));
      if (socket.bufferedAmount <= slowConsumerBytes) return;
      req.log.warn('dropping a slow WebSocket consumer');
      closed = true;
      socket.close(4008, 'too slow: resume by seq');
    };

    const offBroadcast = broadcast.subscribe('all', send);

    /** Resolves once the socket has sent most of what it holds (or closed). */
    const drained = async () => {
      while (!closed && socket.bufferedAmount > slowConsumerBytes / 4) {
        await new Promise((r) => setTimeout(r, 10));
      }
    };

    // Replays what the client missed at the pace the socket drains (a long backlog
    // must not trip the slow-consumer limit), then follows live events.
    const subscribe = async (chatId: string, afterSeq: number) => {
      subs.get(chatId)?.();
      subs.delete(chatId);
      const token = {};
      pending.set(chatId, token);
      try {
        const stream = await chats.events(chatId);
        let cursor = afterSeq;
        for (;;) {
          if (closed || pending.get(chatId) !== token) return;
          const off = stream.follow(cursor, send);
          if (off) {
            pending.delete(chatId);
            subs.set(chatId, off);
            return;
          }
          const missed = stream.eventsAfter(cursor);
          if (!missed) {
            pending.delete(chatId);
            return send({ type: 'chat.resync', chatId });
          }
          for (const ev of missed) {
            send(ev);
            cursor = ev.seq;
            if (socket.bufferedAmount > slowConsumerBytes / 2) break;
          }
          await drained();
        }
      } catch (err) {
        pending.delete(chatId);
        const e =
          err instanceof AppError
            ? err
            : isDatabaseDown(err)
              ? databaseUnavailable()
              : new AppError('internal', 'Subscription failed.');
        if (e.code === 'internal') req.log.error({ err }, 'subscribe failed');
        send({ type: 'error', code: e.code, message: e.message });
      }
    };

    socket.on('message', (data: Buffer, isBinary: boolean) => {
      let json: unknown;
      try {
        json = isBinary ? undefined : JSON.parse(data.toString('utf8'));
      } catch {
        json = undefined;
      }
      const frame = ClientFrame.safeParse(json);
      if (!frame.success) {
        return send({ type: 'error', code: 'bad_request', message: 'Unknown or malformed frame.' });
      }
      switch (frame.data.type) {
        case 'chat.subscribe':
          return void subscribe(frame.data.chatId, frame.data.afterSeq);
        case 'chat.unsubscribe':
          pending.delete(frame.data.chatId);
          subs.get(frame.data.chatId)?.();
          subs.delete(frame.data.chatId);
          return;
      }
    });

    socket.on('close', () => {
      closed = true;
      offBroadcast();
      for (const off of subs.values()) off();
      subs.clear();
    });
  });
};
