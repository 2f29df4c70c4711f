import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { BOOCODE_VERSION, HealthResponse, type ServiceName } from '@boocode/protocol';
import { authPlugin, type AuthOptions } from './auth-plugin.ts';
import { registerErrorHandler, type ErrorHandlerOptions } from './error-handler.ts';

/** A service's Fastify instance: routes declare zod schemas (fastify-type-provider-zod). */
export type ServiceApp = FastifyInstance<
  Server,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ServiceAppOptions {
  /** Said by `GET /api/health`. */
  name: ServiceName;
  logLevel: string;
  /** The gate's settings (see AuthOptions). */
  auth: AuthOptions;
  /** Largest request body; default 1 MB. */
  bodyLimit?: number;
  /** Serve WebSockets (`{ websocket: true }` routes); frames up to `maxPayload` bytes. */
  websocket?: { maxPayload: number };
  /**
   * Runs when the app closes, before its WebSockets are closed: a socket's watchers can still
   * be told that what they follow has ended.
   */
  preClose?: () => Promise<void>;
  errors?: ErrorHandlerOptions;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
  /** Sees every route as it is added (the tests' route tables). */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/** `url` with the value of any `token` parameter replaced. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * A service's Fastify instance, not listening: logger (secrets redacted, request logs only at
 * debug), zod validation and serialization, the one error handler, cookies, WebSockets if
 * asked, the auth gate, and `GET /api/health`. The service adds its routes.
 */
export async function createServiceApp(opts: ServiceAppOptions): Promise<ServiceApp> {
  const app = Fastify({
    logger: {
      level: opts.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.token'],
      // The printed URL carries the token (`/?token=...`): no log line does.
      serializers: {
        req: (req: FastifyRequest) => ({
          method: req.method,
          url: redactToken(req.url),
          host: req.host,
          remoteAddress: req.ip,
        }),
      },
      ...(opts.logStream ? { stream: opts.logStream } : {}),
    },
    logController: new LogController({
      disableRequestLogging: opts.logLevel !== 'debug' && opts.logLevel !== 'trace',
    }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  registerErrorHandler(app, opts.errors);

  // preClose hooks run in the order they were added: this one before the WebSocket plugin's.
  const { preClose } = opts;
  if (preClose) app.addHook('preClose', async () => preClose());
  await app.register(cookie);
  // The WebSocket plugin before the gate, and this order matters. Its onRequest hook marks an
  // upgrade request (`req.ws`) and its onResponse hook destroys the raw socket of one that was
  // answered over HTTP instead of upgraded. onRequest hooks run in the order they were added
  // and stop at the first that throws: after the gate, a refused upgrade (401, 403) is never
  // marked, so its socket is never destroyed; the http server still counts it, and close()
  // waits for it forever (the plugin's preClose only closes the sockets it accepted).
  if (opts.websocket) await app.register(websocket, { options: opts.websocket });
  await app.register(authPlugin, opts.auth);
  app.get(
    '/api/health',
    { schema: { response: { 200: HealthResponse } } },
    async (): Promise<HealthResponse> => ({
      ok: true,
      service: opts.name,
      version: BOOCODE_VERSION,
    }),
  );
  return app;
}
