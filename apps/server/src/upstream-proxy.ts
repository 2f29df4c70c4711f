import type { IncomingHttpHeaders } from 'node:http';
import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import WebSocket, { type RawData } from 'ws';
import { AppError } from '@boocode/protocol';

/** A service behind the server: everything under `prefix` goes to `url`. */
export interface Upstream {
  /** Shown in errors: "BooTerm is not running". */
  name: string;
  /** `/api/term`, `/api/coder`. */
  prefix: string;
  /** `http://127.0.0.1:9501` */
  url: string;
}

export interface UpstreamProxyOptions {
  upstreams: Upstream[];
  /** The header the auth proxy names the user in (AUTH_MODE=proxy), forwarded as is. */
  proxyHeader: string;
  /**
   * AUTH_MODE=proxy: the server's peer address is no trusted proxy to the service, so it
   * vouches for the request with this token (the service checks it). Null in token mode,
   * where the browser's own cookie goes through.
   */
  serviceToken: string | null;
}

/** WebSocket paths proxied: those ending in `/ws`, up to three segments below the prefix. */
const WS_ROUTES = ['/ws', '/:a/ws', '/:a/:b/ws', '/:a/:b/:c/ws'];

/**
 * Proxies each upstream's HTTP (with @fastify/http-proxy) and WebSockets (piped here, as
 * @fastify/websocket owns the server's upgrades). The server's auth hook has run by then;
 * the service checks again, so the cookie, Origin and the browser's Host go along.
 * A service that does not answer gives 502 `upstream_unavailable`.
 */
export const upstreamProxy: FastifyPluginAsync<UpstreamProxyOptions> = async (app, opts) => {
  const forwardHeaders = (req: { headers: IncomingHttpHeaders }, headers: IncomingHttpHeaders) => {
    const out: IncomingHttpHeaders = { ...headers, host: req.headers.host };
    if (opts.serviceToken) out.authorization = `Bearer ${opts.serviceToken}`;
    return out;
  };

  for (const up of opts.upstreams) {
    const down = () => new AppError('upstream_unavailable', `${up.name} is not running.`);
    await app.register(httpProxy, {
      upstream: up.url,
      prefix: up.prefix,
      rewritePrefix: up.prefix,
      websocket: false,
      disableRequestLogging: true,
      replyOptions: {
        rewriteRequestHeaders: forwardHeaders,
        onError: (reply, { error }) => {
          reply.log.warn({ err: error }, `${up.name} did not answer`);
          const e = down();
          void reply.code(e.status).send({ code: e.code, message: e.message });
        },
      },
    });

    const pending = new WeakMap<FastifyRequest, Pending>();
    for (const route of WS_ROUTES) {
      app.get(
        up.prefix + route,
        {
          websocket: true,
          // Before the browser's handshake completes: a refused or dead upstream answers
          // the upgrade request itself (502, or the upstream's own 4xx).
          preHandler: async (req, reply) => {
            const target = new URL(req.url, up.url.replace(/^http/, 'ws'));
            const headers: Record<string, string> = {};
            for (const name of ['cookie', 'origin', 'host', 'authorization', opts.proxyHeader]) {
              const v = req.headers[name];
              if (typeof v === 'string') headers[name] = v;
            }
            if (opts.serviceToken) headers.authorization = `Bearer ${opts.serviceToken}`;
            const result = await openUpstream(target, headers);
            if ('status' in result) {
              if (result.status === 0) throw down();
              return reply.code(result.status).type('application/json').send(result.body);
            }
            pending.set(req, result);
          },
        },
        (socket: WebSocket, req) => {
          const p = pending.get(req);
          pending.delete(req);
          if (!p) return socket.close(1011, 'no upstream');
          pipe(socket, p);
        },
      );
    }
  }
};

/** An upstream socket, open, with what it sent before the browser's side was ready. */
interface Pending {
  ws: WebSocket;
  early: { data: RawData; isBinary: boolean }[];
  closed: { code: number; reason: string } | null;
  /** Stops collecting: the pipe takes over. */
  detach(): void;
}

function openUpstream(
  url: URL,
  headers: Record<string, string>,
): Promise<Pending | { status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const onEarly = (data: RawData, isBinary: boolean) => p.early.push({ data, isBinary });
    const onEarlyClose = (code: number, reason: Buffer) =>
      (p.closed = { code, reason: reason.toString() });
    const p: Pending = {
      ws,
      early: [],
      closed: null,
      detach: () => {
        ws.off('message', onEarly);
        ws.off('close', onEarlyClose);
      },
    };
    ws.once('open', () => {
      ws.on('message', onEarly);
      ws.once('close', onEarlyClose);
      resolve(p);
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, body }));
      res.on('error', () => resolve({ status: 0, body: '' }));
    });
    // Before 'open' only: a socket that fails later is handled by the pipe.
    ws.once('error', () => resolve({ status: 0, body: '' }));
  });
}

/** Close codes that may be sent on; the rest (1005, 1006, 1015 ...) become 1011. */
const sendable = (code: number) =>
  code === 1000 ||
  (code >= 1001 && code <= 1003) ||
  (code >= 1007 && code <= 1014) ||
  (code >= 3000 && code <= 4999);

function pipe(client: WebSocket, p: Pending): void {
  const up = p.ws;
  p.detach();
  for (const m of p.early) client.send(m.data, { binary: m.isBinary });
  if (p.closed) {
    client.close(sendable(p.closed.code) ? p.closed.code : 1011, p.closed.reason);
    return;
  }
  up.on('message', (data, isBinary) => {
    if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
  });
  client.on('message', (data, isBinary) => {
    if (up.readyState === WebSocket.OPEN) up.send(data, { binary: isBinary });
  });
  up.on('close', (code, reason) => {
    if (client.readyState === WebSocket.OPEN || client.readyState === WebSocket.CONNECTING) {
      client.close(sendable(code) ? code : 1011, reason.toString());
    }
  });
  client.on('close', (code, reason) => {
    if (up.readyState === WebSocket.OPEN) up.close(sendable(code) ? code : 1000, reason.toString());
    else up.terminate();
  });
  up.on('error', () => client.terminate());
  client.on('error', () => up.terminate());
}
