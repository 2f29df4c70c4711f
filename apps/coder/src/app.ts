import type { FastifyInstance } from 'fastify';
import type { Sql } from '@boocode/db';
import { backendAuth, createServiceApp } from '@boocode/service';
import { Arenas } from './agents/arenas.ts';
import { AgentSessions, type AgentDeps } from './agents/sessions.ts';
import { CoderService } from './coder-service.ts';
import type { Config } from './config.ts';
import { agentBackends, claudeSdkCommand, type AgentBackends } from './agents/backends.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { agentRoutes } from './routes/agents.ts';
import { questionRoutes } from './routes/questions.ts';
import { arenaRoutes } from './routes/arenas.ts';
import { coderRoutes } from './routes/coder.ts';
import { providerRoutes } from './routes/providers.ts';
import { projectFileRoutes } from './routes/project-files.ts';
import { ProjectFiles } from './project-files.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** `$BOOCODE_HOME/token`: the user's in token mode, the server's voucher in proxy mode. */
  token: string | (() => string);
  /** The agent providers (main.ts starts it); by default one over `config.home`, not started. */
  providers?: ProviderRegistry;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** What runs the agents, by driver; by default every backend over `sql`. Disposed on close. */
  backends?: AgentBackends;
  /** Where agents' processes come from and what runs them; by default the registry's. */
  agents?: AgentDeps;
  /** Sees the agent sessions (tests wait on their turns). */
  onAgentSessions?: (sessions: AgentSessions) => void;
}

/** The registry over `$BOOCODE_HOME`, each agent probed by its backend. */
export function defaultProviders(config: Config, backends: AgentBackends): ProviderRegistry {
  return new ProviderRegistry({
    home: config.home,
    endpoint: config.endpoint,
    probe: backends.probe,
    merge: config.claudeSdk ? { claudeSdk: claudeSdkCommand() } : {},
  });
}

/** Builds the coder service without listening (tests use `inject` or listen on port 0). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, sql, token, onRoute } = deps;
  const backends = deps.backends ?? agentBackends({ sql });
  const providers = deps.providers ?? defaultProviders(config, backends);
  let agents: AgentSessions | null = null;
  const app = await createServiceApp({
    name: 'coder',
    logLevel: config.logLevel,
    auth: backendAuth(config, token, sql),
    // Client frames are none: the sockets only send.
    websocket: { maxPayload: 64 * 1024 },
    preClose: async () => {
      await agents?.shutdown();
      await backends.dispose();
    },
    onRoute,
  });
  const agentDeps: AgentDeps = deps.agents ?? {
    resolveLaunch: (id, opts) => providers.launchFor(id, opts),
    startAgent: backends.start,
    describe: (id) => providers.describe(id),
  };
  agents = new AgentSessions({ sql, home: config.home, deps: agentDeps, log: app.log });
  const recovered = await agents.recover();
  if (recovered) app.log.info(`${recovered} agent session(s) ended while coder was away`);
  deps.onAgentSessions?.(agents);
  // A deleted chat or project takes its sessions' rows along: their agents go too.
  const sweeper = setInterval(() => {
    agents?.sweep().then(
      (n) => n && app.log.info(`${n} agent session(s) of deleted chats ended`),
      (err: unknown) => app.log.warn({ err }, 'agent sweep failed'),
    );
  }, 30_000).unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
  await app.register(coderRoutes, { coder: new CoderService(sql) });
  await app.register(questionRoutes, { sql, bus: agents.bus });
  await app.register(agentRoutes, { agents, sql });
  await app.register(arenaRoutes, { arenas: new Arenas({ sql, agents, deps: agentDeps }) });
  await app.register(providerRoutes, { providers });
  await app.register(projectFileRoutes, { files: new ProjectFiles(sql) });
  return app;
}
