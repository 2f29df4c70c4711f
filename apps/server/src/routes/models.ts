import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ModelList } from '@boocode/protocol';
import type { ModelClient } from '../chat/model-client.ts';

export const modelRoutes: FastifyPluginAsyncZod<{ models: ModelClient }> = async (
  app,
  { models },
) => {
  app.get(
    '/api/models',
    {
      schema: {
        querystring: z.object({ refresh: z.enum(['0', '1']).optional() }),
        response: { 200: ModelList },
      },
    },
    async (req) => models.listModels(req.query.refresh === '1'),
  );
};
