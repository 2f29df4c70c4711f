import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError, ClientFrame, type ServerFrame } from '@boocode/protocol';
import type { Bus } from '../chat/bus.ts';
import type { ChatService } from '../chat/chat-service.ts';

/** A socket with more than this waiting to be sent is dropped; it resumes by seq. */
export const SLOW_CONSUMER_BYTES = 8 * 1024 * 1024;

export interface WsOptions {
  chats: ChatService;
  /** Broadcasts to every socket (`chats.changed`). */
  broadcast: Bus<ServerFrame>;
}

/** The browser's one socket: chat subscriptions by seq, and chat list changes. */
export const wsRoutes: FastifyPluginAsync<WsOptions> = async (app, { chats, broadcast }) => {
  app.get('/api/ws', { websocket: true }, (socket: WebSocket, req) => {
    const subs = new Map<string, () => void>();
    let closed = false;

    const send = (frame: ServerFrame) => {
      if (closed) return;
      if (socket.bufferedAmount > SLOW_CONSUMER_BYTES) {
        req.log.warn('dropping a slow WebSocket consumer');
        closed = true;
        socket.close(4008, 'too slow: resume by seq');
        return;
      }
      socket.send(JSON.stringify(frame));
    };

    const offBroadcast = broadcast.subscribe('all', send);

    const subscribe = async (chatId: string, afterSeq: number) => {
      subs.get(chatId)?.();
      subs.delete(chatId);
      try {
        const r = await chats.subscribe(chatId, afterSeq, send);
        if (closed) return r.ok ? r.unsubscribe() : undefined;
        if (!r.ok) return send({ type: 'chat.resync', chatId });
        subs.get(chatId)?.();
        subs.set(chatId, r.unsubscribe);
      } catch (err) {
        const e = err instanceof AppError ? err : new AppError('internal', 'Subscription failed.');
        if (!(err instanceof AppError)) req.log.error({ err }, 'subscribe failed');
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
