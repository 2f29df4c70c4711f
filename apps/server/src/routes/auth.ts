import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '@boocode/protocol';
import { COOKIE, tokensEqual } from '@boocode/service';

export const authRoutes: FastifyPluginAsyncZod<{ token: string; secure: boolean }> = async (
  app,
  { token, secure },
) => {
  // Trades the printed token for an HttpOnly cookie, so the token leaves the address bar.
  app.post(
    '/api/auth/login',
    { schema: { body: z.object({ token: z.string().min(1).max(200) }) } },
    async (req, reply) => {
      if (!tokensEqual(req.body.token, token)) throw new AppError('unauthorized', 'Wrong token.');
      reply.setCookie(COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure,
        maxAge: 60 * 60 * 24 * 365,
      });
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/auth/me',
    { schema: { response: { 200: z.object({ user: z.string() }) } } },
    async (req) => ({ user: req.user ?? '' }),
  );
};
