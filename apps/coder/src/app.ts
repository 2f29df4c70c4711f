import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Sql } from '@boocode/db';
import { authPlugin, registerErrorHandler } from '@boocode/service';
import { CoderService } from './coder-service.ts';
import type { Config } from './config.ts';
import { coderRoutes } from './routes/coder.ts';
import { healthRoutes } from './routes/health.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** `$BOOCODE_HOME/token`: the user's in token mode, the server's voucher in proxy mode. */
  token: string;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/** Builds the coder service without listening (tests use `inject` or listen on port 0). */
export async function buildApp({ config, sql, token, onRoute }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (onRoute) app.addHook('onRoute', onRoute);
  registerErrorHandler(app);

  await app.register(cookie);
  await app.register(authPlugin, {
    host: config.publicHost,
    port: config.publicPort,
    authMode: config.authMode,
    proxyHeader: config.proxyHeader,
    trustedProxies: config.trustedProxies,
    allowedOrigins: config.allowedOrigins,
    token: config.authMode === 'token' ? token : '',
    serviceToken: config.authMode === 'proxy' ? token : undefined,
    // Reached directly (not through the server) on its own loopback port.
    extraHosts: [`127.0.0.1:${config.port}`, `localhost:${config.port}`, `[::1]:${config.port}`],
  });
  await app.register(healthRoutes);
  await app.register(coderRoutes, { coder: new CoderService(sql) });
  return app;
}
