import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Sql } from '@boocode/db';
import { authPlugin, registerErrorHandler } from '@boocode/service';
import type { Config } from './config.ts';
import { healthRoutes } from './routes/health.ts';
import { sshHostRoutes } from './routes/ssh-hosts.ts';
import { terminalRoutes } from './routes/terminals.ts';
import { TerminalService } from './terminal-service.ts';
import { Tmux } from './tmux.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** The access token (token mode), and what the server adds when it forwards (proxy mode). */
  token: string;
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

export interface App {
  app: FastifyInstance;
  terminals: TerminalService;
  tmux: Tmux;
}

/** Builds booterm without listening; the tmux sessions it finds are kept. */
export async function buildApp({ config, sql, token, onRoute }: AppDeps): Promise<App> {
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

  const tmux = new Tmux(config.tmuxSocket, config.home);
  await tmux.writeConf();
  const terminals = new TerminalService({
    sql,
    tmux,
    shell: config.shell,
    home: config.home,
    replayLines: config.replayLines,
    log: app.log,
  });
  const dead = await terminals.reconcile();
  if (dead) app.log.info(`${dead} terminal(s) whose session ended while booterm was away`);

  app.addHook('preClose', async () => terminals.shutdown());
  await app.register(cookie);
  // Input frames are keys and pastes: 1 MB is a large paste.
  await app.register(websocket, { options: { maxPayload: 1024 * 1024 } });
  await app.register(authPlugin, {
    host: config.publicHost,
    port: config.publicPort,
    authMode: config.authMode,
    proxyHeader: config.proxyHeader,
    trustedProxies: config.trustedProxies,
    allowedOrigins: config.allowedOrigins,
    token: config.authMode === 'token' ? token : '',
    serviceToken: config.authMode === 'proxy' ? token : undefined,
    extraHosts: ['127.0.0.1', 'localhost', '[::1]', config.host].map((h) => `${h}:${config.port}`),
  });
  await app.register(healthRoutes);
  await app.register(terminalRoutes, { terminals });
  await app.register(sshHostRoutes, { sql });
  return { app, terminals, tmux };
}
