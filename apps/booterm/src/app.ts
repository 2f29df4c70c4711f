import type { FastifyInstance } from 'fastify';
import type { Sql } from '@boocode/db';
import { backendAuth, createServiceApp } from '@boocode/service';
import type { Config } from './config.ts';
import { sshHostRoutes } from './routes/ssh-hosts.ts';
import { terminalRoutes } from './routes/terminals.ts';
import { TerminalService } from './terminal-service.ts';
import { Tmux } from './tmux.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** The access token (token mode), and what the server adds when it forwards (proxy mode). */
  token: string | (() => string);
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

export interface App {
  app: FastifyInstance;
  terminals: TerminalService;
  tmux: Tmux;
}

/** Builds booterm without listening; the tmux sessions it finds are kept. */
export async function buildApp({ config, sql, token, onRoute }: AppDeps): Promise<App> {
  let terminals: TerminalService | null = null;
  const app = await createServiceApp({
    name: 'booterm',
    logLevel: config.logLevel,
    auth: backendAuth(config, token, sql),
    // Input frames are keys and pastes: 1 MB is a large paste.
    websocket: { maxPayload: 1024 * 1024 },
    preClose: async () => terminals?.shutdown(),
    onRoute,
  });

  const tmux = new Tmux(config.tmuxSocket, config.home);
  await tmux.writeConf();
  terminals = new TerminalService({
    sql,
    tmux,
    shell: config.shell,
    home: config.home,
    replayLines: config.replayLines,
    maxTerminals: config.maxTerminals,
    log: app.log,
  });
  const dead = await terminals.reconcile();
  if (dead) app.log.info(`${dead} terminal(s) whose session ended while booterm was away`);
  // Between lists: the terminal of an agent session whose chat was deleted ends within 30 s.
  const reconciler = setInterval(() => {
    terminals?.reconcile().catch((err: unknown) => app.log.warn({ err }, 'reconcile failed'));
  }, 30_000).unref();
  app.addHook('onClose', async () => clearInterval(reconciler));

  await app.register(terminalRoutes, { terminals });
  await app.register(sshHostRoutes, { sql });
  return { app, terminals, tmux };
}
