import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import fp from 'fastify-plugin';
import { AppError } from '@boocode/protocol';
import type { ServiceConfig } from './config.ts';
import { tokensEqual } from './token.ts';

/**
 * The cookie of a session: what the token is traded for at `POST /api/auth/login`. It holds the
 * session's own secret, never the token: ending the session ends it.
 */
export const COOKIE = 'boocode_session';

/** Routes that answer without auth: health, and the door itself. */
export const PUBLIC_API = new Set(['GET /api/health', 'POST /api/auth/login']);

declare module 'fastify' {
  interface FastifyRequest {
    user: string | null;
    /** The session the request came with (its cookie), if any. */
    sessionId: string | null;
  }
}

/** What the gate needs to know; every service passes the front door's (the server's) values. */
export interface AuthOptions {
  /** The public bind address (the server's HOST): `HOST:PORT` is one of the accepted Hosts. */
  host: string;
  /** The public port (the server's PORT). */
  port: number;
  authMode: 'token' | 'proxy';
  /** Lower-case header name the proxy puts the user in (`remote-user`). */
  proxyHeader: string;
  trustedProxies: string[];
  /** AUTH_MODE=proxy: the users the proxy may sign in. */
  proxyUsers?: string[];
  /** AUTH_MODE=proxy: a secret the proxy must send in `proxySecretHeader` (lower-case). */
  proxySecret?: string | null;
  proxySecretHeader?: string;
  /** Origins allowed besides the one the request was addressed to. */
  allowedOrigins: string[];
  /** The access token (token mode), as it is now (it can be rotated). '' = none. */
  token: () => string;
  /** Token mode: the session a cookie's secret opens, or null (see sessions.ts). */
  sessions?: (secret: string) => Promise<string | null>;
  /**
   * Services only: a Bearer token the server adds when it forwards a request in proxy
   * mode (its own peer address is not a trusted proxy). The user is then the one the
   * server saw, in the proxy header. Never set on the server itself.
   */
  serviceToken?: string;
  /** More `host:port` values to accept, e.g. a service's own loopback address. */
  extraHosts?: string[];
}

/**
 * The gate's settings that come from the config of the front door (the server's HOST and PORT,
 * the auth mode, the proxy's ...): the same for the server and the services behind it.
 */
export function gateSettings(
  config: ServiceConfig,
  front: { host: string; port: number },
): Omit<AuthOptions, 'token'> {
  return {
    host: front.host,
    port: front.port,
    authMode: config.authMode,
    proxyHeader: config.proxyHeader,
    trustedProxies: config.trustedProxies,
    proxyUsers: config.proxyUsers,
    proxySecret: config.proxySecret,
    proxySecretHeader: config.proxySecretHeader,
    allowedOrigins: config.allowedOrigins,
  };
}

/**
 * One gate for every request: Host (against DNS rebinding: only the loopback names, HOST and the
 * hosts of ALLOWED_ORIGINS, whatever the bind address), Origin (on every WebSocket and
 * state-changing request), then the user, from the session cookie or the token as a bearer header
 * (AUTH_MODE=token) or from the proxy's header when the peer is a trusted proxy, the proxy's
 * secret header matches (if one is set) and the user is one of AUTH_PROXY_USERS
 * (AUTH_MODE=proxy). Anything else is 401, or 403 for a user not allowed in.
 */
export const authPlugin = fp<AuthOptions>(async (app, opts) => {
  const { authMode, proxyHeader, trustedProxies, allowedOrigins, token } = opts;
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);

  const proxyUsers = new Set(opts.proxyUsers ?? []);
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

  const userOf = async (req: FastifyRequest): Promise<string | null> => {
    const bearer = req.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1];
    if (authMode === 'proxy') {
      const fromServer = !!opts.serviceToken && !!bearer && tokensEqual(bearer, opts.serviceToken);
      if (!fromServer && !trustedProxies.includes(normalizeIp(req.socket.remoteAddress ?? ''))) {
        return null;
      }
      if (opts.proxySecret) {
        const given = req.headers[opts.proxySecretHeader ?? 'x-boocode-proxy-secret'];
        if (typeof given !== 'string' || !tokensEqual(given, opts.proxySecret)) return null;
      }
      const header = req.headers[proxyHeader];
      const u = typeof header === 'string' ? header.trim() : '';
      if (!u) return null;
      if (!proxyUsers.has(u)) {
        throw new AppError(
          'forbidden',
          `"${u}" is not one of the users allowed in (AUTH_PROXY_USERS).`,
        );
      }
      return u;
    }
    const current = token();
    if (bearer) return current && tokensEqual(bearer, current) ? 'owner' : null;
    const secret = req.cookies[COOKIE];
    const sessionId = secret && opts.sessions ? await opts.sessions(secret) : null;
    if (!sessionId) return null;
    req.sessionId = sessionId;
    return 'owner';
  };

  app.addHook('onRequest', async (req: FastifyRequest, _reply: FastifyReply) => {
    // Only the names the user configured may reach us: a page on another site that rebinds
    // its DNS name to our address is refused here, whatever address we are bound to.
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      throw new AppError(
        'forbidden',
        `Unknown Host header "${host.slice(0, 100)}": to reach boocode by this name, add its origin (e.g. http://${host.slice(0, 100)}) to ALLOWED_ORIGINS.`,
      );
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
    req.user = await userOf(req);
    if (!req.user) throw new AppError('unauthorized', 'Not signed in.');
  });
});

function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
