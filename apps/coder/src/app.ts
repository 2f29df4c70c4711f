import type { FastifyInstance } from 'fastify';
import type { Sql } from '@boocode/db';
import { backendAuth, createServiceApp } from '@boocode/service';
import { CoderService } from './coder-service.ts';
import type { Config } from './config.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { coderRoutes } from './routes/coder.ts';
import { providerRoutes } from './routes/providers.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** `$BOOCODE_HOME/token`: the user's in token mode, the server's voucher in proxy mode. */
  token: string;
  /** The agent providers (main.ts starts it); by default one over `config.home`, not started. */
  providers?: ProviderRegistry;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/** Builds the coder service without listening (tests use `inject` or listen on port 0). */
export async function buildApp({
  config,
  sql,
  token,
  onRoute,
  providers,
}: AppDeps): Promise<FastifyInstance> {
  const app = await createServiceApp({
    name: 'coder',
    logLevel: config.logLevel,
    auth: backendAuth(config, token, sql),
    onRoute,
  });
  await app.register(coderRoutes, { coder: new CoderService(sql) });
  await app.register(providerRoutes, {
    providers: providers ?? new ProviderRegistry({ home: config.home, endpoint: config.endpoint }),
  });
  return app;
}
