import cookie from '@fastify/cookie';
import Fastify, { LogController } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authPlugin } from './auth-plugin.ts';
import type { ServiceConfig } from './config.ts';
import { registerErrorHandler } from './error-handler.ts';

export interface ServiceAppOptions {
  config: ServiceConfig & {
    /** Where the service itself listens (loopback). */
    host: string;
    port: number;
    /** The front door (the server's HOST and PORT), for the Host and Origin checks. */
    publicHost: string;
    publicPort: number;
  };
  /** `$BOOCODE_HOME/token`: the user's in token mode, the server's voucher in proxy mode. */
  token: string;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/**
 * A Fastify app for a service behind the server (booterm, coder), not listening yet: zod
 * schemas, one error shape, and the same auth as the front door, so that a request the
 * server forwards passes, and one sent straight to the service's loopback port must
 * authenticate too. In proxy mode the server vouches with the token file's token.
 */
export async function createServiceApp({ config, token, onRoute }: ServiceAppOptions) {
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
    // Also reached directly, on its own loopback port.
    extraHosts: ['127.0.0.1', 'localhost', '[::1]', config.host].map((h) => `${h}:${config.port}`),
  });
  return app;
}
