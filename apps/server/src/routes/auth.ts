import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppError,
  LoginBody,
  Me,
  notFound,
  RotatedToken,
  SessionList,
  SessionParams,
} from '@boocode/protocol';
import { deleteOtherSessions, deleteSession, listSessions, type Sql } from '@boocode/db';
import { COOKIE, openSession, rotateToken, tokensEqual } from '@boocode/service';
import type { SessionSockets } from '../session-sockets.ts';

export interface AuthRoutesOptions {
  sql: Sql;
  /** `$BOOCODE_HOME`, where the token file is. */
  home: string;
  /** The token as it is now, and how to replace it (a rotation). */
  token: { get(): string; set(token: string): void };
  /** The address of the page the printed URL opens (without the token). */
  baseUrl: string;
  /** Proxies whose `X-Forwarded-Proto` is believed (a TLS proxy in front, in token mode too). */
  trustedProxies: string[];
  /** The sockets each session opened, cut when it ends. */
  sockets: SessionSockets;
}

/** A sign-in lasts this long unless ended. */
const SESSION_DAYS = 90;

/**
 * Sign-in: the printed token is traded for a session of its own (its cookie holds the session's
 * secret, not the token); sessions are listed and ended; the token can be replaced, which ends
 * every other session.
 */
export const authRoutes: FastifyPluginAsyncZod<AuthRoutesOptions> = async (app, opts) => {
  const { sql } = opts;
  // Secure when the page came over https: straight, or through a proxy we trust saying so.
  const secure = (req: FastifyRequest) =>
    req.protocol === 'https' ||
    (opts.trustedProxies.includes(peer(req)) && req.headers['x-forwarded-proto'] === 'https');
  const endCookie = (reply: FastifyReply) => reply.clearCookie(COOKIE, { path: '/' });

  app.post('/api/auth/login', { schema: { body: LoginBody } }, async (req, reply) => {
    const token = opts.token.get();
    if (!token || !tokensEqual(req.body.token, token)) {
      throw new AppError('unauthorized', 'Wrong token.');
    }
    const session = await openSession(sql, req.headers['user-agent'] ?? '');
    reply.setCookie(COOKIE, session.secret, {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      secure: secure(req),
      maxAge: 60 * 60 * 24 * SESSION_DAYS,
    });
    // The cookie of boocode before sessions held the token itself.
    reply.clearCookie('boocode_token', { path: '/' });
    return reply.code(204).send();
  });

  app.post('/api/auth/logout', async (req, reply) => {
    if (req.sessionId) {
      await deleteSession(sql, req.sessionId);
      opts.sockets.end(req.sessionId);
    }
    endCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/auth/me', { schema: { response: { 200: Me } } }, async (req) => ({
    user: req.user ?? '',
  }));

  app.get('/api/auth/sessions', { schema: { response: { 200: SessionList } } }, async (req) => ({
    sessions: (await listSessions(sql)).map((s) => ({
      id: s.id,
      userAgent: s.userAgent,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      current: s.id === req.sessionId,
    })),
  }));

  app.delete(
    '/api/auth/sessions/:sessionId',
    { schema: { params: SessionParams } },
    async (req, reply) => {
      if (!(await deleteSession(sql, req.params.sessionId))) throw notFound('session');
      opts.sockets.end(req.params.sessionId);
      if (req.params.sessionId === req.sessionId) endCookie(reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/auth/token/rotate',
    { schema: { response: { 200: RotatedToken } } },
    async (req) => {
      if (!opts.token.get()) {
        throw new AppError('bad_request', 'There is no token to replace (AUTH_MODE=proxy).');
      }
      const token = await rotateToken(opts.home);
      opts.token.set(token);
      await deleteOtherSessions(sql, req.sessionId);
      opts.sockets.endAllBut(req.sessionId);
      return { url: `${opts.baseUrl}?token=${token}` };
    },
  );
};

function peer(req: FastifyRequest): string {
  const ip = req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
