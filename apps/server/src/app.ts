import { existsSync } from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Chat, ServerFrame } from '@boocode/protocol';
import type { Sql } from '@boocode/db';
import { authPlugin } from './auth/auth-plugin.ts';
import { createBus } from './chat/bus.ts';
import { ChatService } from './chat/chat-service.ts';
import { ModelClient } from './chat/model-client.ts';
import type { Prices } from './chat/pricing.ts';
import { readToolbox } from './chat/read-tools.ts';
import type { Config } from './config.ts';
import { registerErrorHandler } from './error-handler.ts';
import { authRoutes } from './routes/auth.ts';
import { chatRoutes } from './routes/chats.ts';
import { healthRoutes } from './routes/health.ts';
import { modelRoutes } from './routes/models.ts';
import { projectRoutes } from './routes/projects.ts';
import { wsRoutes } from './routes/ws.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  token: string;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** Bytes a socket may have waiting before it is dropped (tests make it small). */
  slowConsumerBytes?: number;
  /** Model prices, for the cost of every call. */
  prices?: Prices;
}

export interface App {
  app: FastifyInstance;
  chats: ChatService;
}

/** Builds the server without listening (tests use `inject` or listen on port 0). */
export async function buildApp({
  config,
  sql,
  token,
  onRoute,
  slowConsumerBytes,
  prices = new Map(),
}: AppDeps): Promise<App> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.token'],
    },
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: 4 * 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (onRoute) app.addHook('onRoute', onRoute);
  const hasWeb = existsSync(path.join(config.webDist, 'index.html'));
  registerErrorHandler(app, { spaFallback: hasWeb });

  const broadcast = createBus<ServerFrame>((err) =>
    app.log.warn({ err }, 'broadcast listener failed'),
  );
  const onChatsChanged = (chat: Chat | null, deletedId: string | null) =>
    broadcast.publish('all', { type: 'chats.changed', chat, deletedId });
  const models = new ModelClient(config.llmBaseUrl, config.llmApiKey);
  const chats = new ChatService({
    sql,
    models,
    prices,
    log: app.log,
    toolSources: [readToolbox],
    onChatsChanged,
  });

  // Before the WebSocket plugin's own preClose: watchers still hear that the replies ended.
  app.addHook('preClose', async () => chats.shutdown());
  await app.register(cookie);
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(authPlugin, { config, token });
  await app.register(healthRoutes);
  await app.register(authRoutes, { token, secure: false });
  await app.register(modelRoutes, { models });
  await app.register(chatRoutes, { sql, chats, onChatsChanged });
  await app.register(projectRoutes, { sql });
  await app.register(wsRoutes, { chats, broadcast, slowConsumerBytes });

  if (hasWeb) await app.register(fastifyStatic, { root: config.webDist, wildcard: false });
  return { app, chats };
}
