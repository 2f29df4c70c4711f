import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { BackoffPolicy, Chat, ServerFrame } from '@boocode/protocol';
import type { Sql } from '@boocode/db';
import { createServiceApp, gateSettings, sessionChecker } from '@boocode/service';
import { GraphIndexer } from '@boocode/graph';
import { createBus } from './chat/bus.ts';
import { ChatService } from './chat/chat-service.ts';
import { ModelClient } from './chat/model-client.ts';
import type { Prices } from './chat/pricing.ts';
import { readToolbox } from './chat/read-toolbox.ts';
import { graphToolSource } from './chat/graph-toolbox.ts';
import { writeToolSource } from './chat/write-tools.ts';
import { dispatchToolSource } from './chat/dispatch-tool.ts';
import { CoderClient, coderAuth } from './coder-client.ts';
import { AgentRegistry } from './agents.ts';
import { skillToolSource } from './skills.ts';
import { libraryRoutes } from './routes/library.ts';
import { publicBase, type Config } from './config.ts';
import { McpManager } from './mcp/manager.ts';
import { mcpToolSource } from './mcp/tool-source.ts';
import { authRoutes } from './routes/auth.ts';
import { chatRoutes } from './routes/chats.ts';
import { artifactFrameRoutes } from './routes/artifact-frame.ts';
import { addAppCsp } from './csp.ts';
import type { ServiceAddress } from './service-address.ts';
import { mcpRoutes } from './routes/mcp.ts';
import { modelRoutes } from './routes/models.ts';
import { projectRoutes } from './routes/projects.ts';
import { graphRoutes } from './routes/graph.ts';
import { wsRoutes } from './routes/ws.ts';
import { upstreamProxy } from './upstream-proxy.ts';
import { SessionSockets } from './session-sockets.ts';
import { workspaceRoutes } from './routes/workspace.ts';

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
  /** Context windows of models the endpoint does not describe (models.json). */
  contextWindows?: ReadonlyMap<string, number>;
  /** Waits between restarts of a failed MCP server (tests make them short). */
  mcpBackoff?: BackoffPolicy;
  /** AUTH_MODE=proxy: what the server shows booterm and coder to vouch for a request. */
  serviceToken?: string;
  /**
   * Where booterm and coder listen: the unix sockets of the services main.ts starts; by default
   * their loopback ports (BOOTERM_PORT, CODER_PORT), as when each was started on its own.
   */
  services?: { booterm: ServiceAddress; coder: ServiceAddress };
  /** The code graph's parser thread (the bundle's own); the sources' by default. */
  graphWorkerUrl?: URL;
}

export interface App {
  app: FastifyInstance;
  chats: ChatService;
  mcp: McpManager;
  graph: GraphIndexer;
}

/** Builds the server without listening (tests use `inject` or listen on port 0). */
export async function buildApp({
  config,
  sql,
  token,
  onRoute,
  slowConsumerBytes,
  prices = new Map(),
  contextWindows = new Map(),
  mcpBackoff,
  serviceToken,
  services = {
    booterm: { url: `http://127.0.0.1:${config.bootermPort}` },
    coder: { url: `http://127.0.0.1:${config.coderPort}` },
  },
  graphWorkerUrl,
}: AppDeps): Promise<App> {
  let chats: ChatService | null = null;
  // Replaced by a rotation (Settings); every check reads it as it is now.
  let currentToken = token;
  const hasWeb = existsSync(path.join(config.webDist, 'index.html'));
  const app = await createServiceApp({
    name: 'server',
    logLevel: config.logLevel,
    bodyLimit: 4 * 1024 * 1024,
    auth: {
      ...gateSettings(config, config),
      token: () => currentToken,
      sessions: sessionChecker(sql),
    },
    websocket: { maxPayload: 1024 * 1024 },
    // Before the WebSocket plugin's own preClose: watchers still hear that the replies ended.
    preClose: async () => chats?.shutdown(),
    errors: {
      // A page address gets the app; a build file that is not there is a 404, not the page.
      spaFallback: hasWeb
        ? (req, reply) =>
            req.url.startsWith('/assets/')
              ? reply.code(404).send({ code: 'not_found', message: 'No such file.' })
              : reply.sendFile('index.html')
        : undefined,
    },
    onRoute,
  });

  const broadcast = createBus<ServerFrame>((err) =>
    app.log.warn({ err }, 'broadcast listener failed'),
  );
  const onChatsChanged = (chat: Chat | null, deletedId: string | null) =>
    broadcast.publish('all', { type: 'chats.changed', chat, deletedId });
  const mcp = new McpManager({
    file: path.join(config.home, 'mcp.json'),
    defaultTimeoutMs: config.mcpTimeoutMs,
    log: app.log.child({ module: 'mcp' }),
    onChange: (list) => broadcast.publish('all', { type: 'mcp.changed', ...list }),
    backoff: mcpBackoff,
  });
  const graph = new GraphIndexer({
    sql,
    workerUrl: graphWorkerUrl,
    onProgress: (p) => broadcast.publish('all', { type: 'graph.progress', ...p }),
    onError: (err, projectId) => app.log.warn({ err, projectId }, 'code graph'),
  });
  const models = new ModelClient(config.llmBaseUrl, config.llmApiKey);
  const agents = new AgentRegistry(config.home);
  // Boomerang's dispatch reaches coder directly, vouched for as the proxy does.
  const coder = new CoderClient(
    services.coder,
    coderAuth(config, serviceToken, () => currentToken),
  );
  chats = new ChatService({
    sql,
    models,
    prices,
    log: app.log,
    toolSources: [
      readToolbox,
      graphToolSource(sql, graph),
      writeToolSource(sql),
      skillToolSource(config.home),
      mcpToolSource(mcp, sql),
      dispatchToolSource(coder),
    ],
    agents,
    contextWindow: async (model) =>
      (await models.listModels()).models.find((m) => m.id === model)?.contextLength ??
      contextWindows.get(model) ??
      config.contextWindow,
    compactAt: config.compactAt,
    onChatsChanged,
  });

  // MCP servers (their process groups) go when the app does.
  app.addHook('onClose', async () => mcp.close());
  app.addHook('onClose', async () => graph.close());
  addAppCsp(app);
  const sockets = new SessionSockets();
  sockets.track(app);
  await app.register(artifactFrameRoutes);
  await app.register(authRoutes, {
    sql,
    home: config.home,
    token: { get: () => currentToken, set: (t) => (currentToken = t) },
    baseUrl: publicBase(config),
    trustedProxies: config.trustedProxies,
    sockets,
  });
  await app.register(modelRoutes, { models });
  await app.register(chatRoutes, { sql, chats, agents, onChatsChanged });
  await app.register(libraryRoutes, { sql, home: config.home, agents });
  await app.register(projectRoutes, { sql, graph });
  await app.register(graphRoutes, { sql, indexer: graph });
  await app.register(mcpRoutes, { mcp, sql });
  await app.register(workspaceRoutes, { sql });
  await app.register(wsRoutes, { chats, broadcast, slowConsumerBytes });
  await app.register(upstreamProxy, {
    upstreams: [
      { name: 'BooTerm', prefix: '/api/term', address: services.booterm },
      { name: 'BooCoder', prefix: '/api/coder', address: services.coder },
    ],
    serviceToken: config.authMode === 'proxy' ? (serviceToken ?? null) : null,
  });

  if (hasWeb)
    await app.register(fastifyStatic, {
      root: config.webDist,
      // Files are looked up when asked for (not listed at start): a build made while the server
      // runs is served.
      wildcard: true,
      cacheControl: false,
      // Built files carry their content's hash in the name: kept for good. The page itself is
      // asked for again each time, so a new build is picked up at the next load.
      setHeaders: (res, file) =>
        res.setHeader(
          'cache-control',
          file.startsWith(path.join(config.webDist, 'assets') + path.sep)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        ),
    });
  // Reads mcp.json and starts the servers without waiting for them; a bad file is reported.
  await mcp.start();
  return { app, chats, mcp, graph };
}
