import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import fp from 'fastify-plugin';
import { AppError } from '@boocode/protocol';
import { tokensEqual } from './token.ts';

/** The cookie the token is traded for at `POST /api/auth/login`. */
export const COOKIE = 'boocode_token';

/** Routes that answer without auth: health, and the door itself. */
export const PUBLIC_API = new Set(['GET /api/health', 'POST /api/auth/login']);

declare module 'fastify' {
  interface FastifyRequest {
    user: string | null;
  }
}

/** What the gate needs to know; every service passes the front door's (the server's) values. */
export interface AuthOptions {
  /** The public bind address (the server's HOST). A loopback one turns the Host check on. */
  host: string;
  /** The public port (the server's PORT). */
  port: number;
  authMode: 'token' | 'proxy';
  /** Lower-case header name the proxy puts the user in (`remote-user`). */
  proxyHeader: string;
  trustedProxies: string[];
  /** Origins allowed besides the one the request was addressed to. */
  allowedOrigins: string[];
  /** The access token (token mode). '' = none. */
  token: string;
  /**
   * Services only: a Bearer token the server adds when it forwards a request in proxy
   * mode (its own peer address is not a trusted proxy). The user is then the one the
   * server saw, in the proxy header. Never set on the server itself.
   */
  serviceToken?: string;
  /** More `host:port` values to accept, e.g. a service's own loopback address. */
  extraHosts?: string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * One gate for every request: Host (against DNS rebinding), Origin (on every
 * WebSocket and state-changing request), then the user, from the token cookie
 * or bearer header (AUTH_MODE=token) or from the proxy's header when the peer
 * is a trusted proxy (AUTH_MODE=proxy). Anything else is 401.
 */
export const authPlugin = fp<AuthOptions>(async (app, opts) => {
  const { authMode, proxyHeader, trustedProxies, allowedOrigins, token } = opts;
  app.decorateRequest('user', null);

  const bindIsLoopback = LOOPBACK.has(opts.host);
  const allowedHosts = new Set<string>(opts.extraHosts ?? []);
  for (const h of ['127.0.0.1', 'localhost', '[::1]', opts.host]) {
    allowedHosts.add(`${h}:${opts.port}`);
  }
  for (const o of allowedOrigins) allowedHosts.add(new URL(o).host);

  const originAllowed = (req: FastifyRequest, origin: string): boolean => {
    if (allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };

  const userOf = (req: FastifyRequest): string | null => {
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (authMode === 'proxy') {
      const fromServer = !!opts.serviceToken && !!bearer && tokensEqual(bearer, opts.serviceToken);
      if (!fromServer && !trustedProxies.includes(normalizeIp(req.socket.remoteAddress ?? ''))) {
        return null;
      }
      const u = req.headers[proxyHeader];
      return typeof u === 'string' && u.trim() ? u.trim() : null;
    }
    const given = bearer ?? req.cookies[COOKIE];
    return token && given && tokensEqual(given, token) ? 'owner' : null;
  };

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    // With a loopback bind, only loopback names may reach us: a page on another
    // site that rebinds its DNS name to 127.0.0.1 is refused here.
    if (bindIsLoopback && !allowedHosts.has(req.headers.host ?? '')) {
      throw new AppError('forbidden', 'Unknown Host header.');
    }
    const isWs = req.headers.upgrade?.toLowerCase() === 'websocket';
    const changes = !['GET', 'HEAD', 'OPTIONS'].includes(req.method);
    const origin = req.headers.origin;
    if (isWs && !origin) throw new AppError('forbidden', 'A WebSocket must say its Origin.');
    if ((isWs || changes) && origin && !originAllowed(req, origin)) {
      throw new AppError('forbidden', 'Origin not allowed.');
    }
    // Outside /api is the static web app: it holds nothing private and must load to sign in.
    const routeUrl = req.routeOptions.url ?? '';
    const isApi = req.url.startsWith('/api') || routeUrl.startsWith('/api');
    if (!isApi || PUBLIC_API.has(`${req.method} ${routeUrl}`)) return;
    req.user = userOf(req);
    if (!req.user) throw new AppError('unauthorized', 'Not signed in.');
  });
});

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
