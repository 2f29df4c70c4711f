import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import httpProxy from '@fastify/http-proxy';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError } from '@boocode/protocol';
import { connectTo, proxyBase, type ServiceAddress } from './service-address.ts';

/** A service behind the server: everything under `prefix` goes to `url`. */
export interface Upstream {
  /** Shown in errors: "BooTerm is not running". */
  name: string;
  /** `/api/term`, `/api/coder`. */
  prefix: string;
  address: ServiceAddress;
}

export interface UpstreamProxyOptions {
  upstreams: Upstream[];
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
 * Proxies each upstream's HTTP (with @fastify/http-proxy) and WebSockets (the upgrade
 * request sent on, then the two connections joined byte for byte). The server's auth hook
 * has run by then; the service checks again, so every header (the cookie, Origin, the
 * browser's Host, the auth proxy's user) goes along. A service that does not answer gives
 * 502 `upstream_unavailable`.
 */
export const upstreamProxy: FastifyPluginAsync<UpstreamProxyOptions> = async (app, opts) => {
  /** Joined sockets, both sides, ended when the server closes. */
  const open = new Set<Socket>();
  const forwardHeaders = (req: { headers: IncomingHttpHeaders }, headers: IncomingHttpHeaders) => {
    const out: IncomingHttpHeaders = { ...headers, host: req.headers.host };
    if (opts.serviceToken) out.authorization = `Bearer ${opts.serviceToken}`;
    return out;
  };

  for (const up of opts.upstreams) {
    const down = () => new AppError('upstream_unavailable', `${up.name} is not running.`);
    await app.register(httpProxy, {
      upstream: proxyBase(up.address),
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

    for (const route of WS_ROUTES) {
      app.get(
        up.prefix + route,
        {
          websocket: true,
          // The auth hooks have passed the upgrade request: from here it goes to the
          // service as it came, and the two sockets are joined byte for byte (the
          // service's handshake answer included), with no framing done here.
          preHandler: async (req, reply) => {
            if (!req.ws) return; // a plain GET: the route answers 404
            reply.hijack();
            joinUpstream(req, up.address, opts.serviceToken, down(), open);
          },
        },
        // Not reached for an upgrade: the preHandler has taken the socket.
        (socket: WebSocket) => socket.close(1011, 'no upstream'),
      );
    }
  }

  // Before the server waits for its connections to end (onClose comes only after): a joined
  // socket ends only when its browser goes, so a shutdown would wait for every open page.
  app.addHook('preClose', async () => {
    for (const socket of open) socket.destroy();
  });
};

/**
 * Sends the browser's upgrade request on to the service and, once the service has answered
 * 101, pipes the two connections together. Any other answer (a 401 or 403 of its own, or
 * whatever else holds the port) reaches the browser as it is, and nothing more of the browser's
 * goes to the service. A service that cannot be reached answers the upgrade with 502
 * `upstream_unavailable`.
 */
function joinUpstream(
  req: FastifyRequest,
  target: ServiceAddress,
  serviceToken: string | null,
  down: AppError,
  open: Set<Socket>,
): void {
  const client = req.raw.socket;
  const upstream = connectTo(target);
  const lines = [`GET ${req.raw.url} HTTP/1.1`];
  const raw = req.raw.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (serviceToken && raw[i]!.toLowerCase() === 'authorization') continue;
    lines.push(`${raw[i]}: ${raw[i + 1]}`);
  }
  if (serviceToken) lines.push(`Authorization: Bearer ${serviceToken}`);
  // A client sends no frame before the 101 comes back, so nothing was read past the headers.
  upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
  open.add(client).add(upstream);
  /** The browser has had an answer (the service's, or our 502): an error can only cut it now. */
  let answered = false;
  const fail = (err: Error) => {
    answered = true;
    req.log.warn({ err }, down.message);
    const body = JSON.stringify({ code: down.code, message: down.message });
    client.end(
      `HTTP/1.1 ${down.status} Bad Gateway\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
    upstream.destroy();
  };
  upstream.once('connect', () => {
    for (const s of [client, upstream]) s.setNoDelay(true);
    readHead(upstream, (head, switched) => {
      if (!head) return fail(new Error('the service sent no HTTP answer head'));
      answered = true;
      client.write(head);
      forward(upstream, client);
      if (switched) forward(client, upstream);
      else {
        // Its answer goes on to the browser; what the browser sends after it is read and dropped.
        upstream.end();
        client.resume();
      }
    });
  });
  upstream.once('error', (err) => (answered ? client.destroy() : fail(err)));
  client.once('error', () => upstream.destroy());
  // What one side said last (a close frame, say) still reaches the other.
  upstream.once('close', () => {
    if (!client.writableEnded) client.end();
    open.delete(upstream);
  });
  client.once('close', () => {
    upstream.destroy();
    open.delete(client);
  });
}

/** The most an answer head may take. */
const MAX_HEAD = 16 * 1024;

/**
 * Reads an HTTP answer head from `from`: `done(head, switched)` with the bytes read (the head and
 * what followed it in the same chunks) and whether it is `101 Switching Protocols`; `done(null)`
 * when the socket ends first or the head is too long.
 */
function readHead(from: Socket, done: (head: Buffer | null, switched: boolean) => void): void {
  let buf = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0 && buf.length <= MAX_HEAD) return;
    finish();
    if (end < 0) return done(null, false);
    done(buf, /^HTTP\/1\.1 101 /.test(buf.subarray(0, end).toString('latin1')));
  };
  const onEnd = () => (finish(), done(null, false));
  const finish = () => {
    from.off('data', onData);
    from.off('end', onEnd);
  };
  from.on('data', onData);
  from.once('end', onEnd);
}

/** Bytes a socket may hold unsent before its source is paused (net's default is 16 KiB). */
const FORWARD_HIGH_WATER = 1024 * 1024;

/** `from`'s bytes to `to`, pausing `from` only when `to` holds a lot unsent. */
function forward(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (to.write(chunk) || to.writableLength < FORWARD_HIGH_WATER) return;
    from.pause();
    to.once('drain', () => from.resume());
  });
  from.once('end', () => to.end());
}
