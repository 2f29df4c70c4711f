import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Unauthenticated: says the service is up and nothing else. */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    { schema: { response: { 200: z.object({ ok: z.literal(true), service: z.string() }) } } },
    async () => ({ ok: true as const, service: 'booterm' }),
  );
};
