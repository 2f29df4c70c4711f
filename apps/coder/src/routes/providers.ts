import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProviderList, ProviderParams, ProviderPatch } from '@boocode/protocol';
import type { ProviderRegistry } from '../providers/registry.ts';

/** The agent providers: the snapshot, a toggle of one, and its tier-2 probe, under /api/coder. */
export const providerRoutes: FastifyPluginAsyncZod<{ providers: ProviderRegistry }> = async (
  app,
  { providers },
) => {
  app.get('/api/coder/providers', { schema: { response: { 200: ProviderList } } }, () =>
    providers.snapshot(),
  );

  app.patch(
    '/api/coder/providers/:providerId',
    { schema: { params: ProviderParams, body: ProviderPatch, response: { 200: ProviderList } } },
    (req) => providers.patch(req.params.providerId, req.body),
  );

  app.post(
    '/api/coder/providers/:providerId/probe',
    { schema: { params: ProviderParams, response: { 200: ProviderList } } },
    (req) => providers.probe(req.params.providerId),
  );
};
