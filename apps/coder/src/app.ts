import type { FastifyInstance } from 'fastify';
import type { Sql } from '@boocode/db';
import { AppError } from '@boocode/protocol';
import { backendAuth, createServiceApp } from '@boocode/service';
import { AgentSessions, type AgentDeps } from './agents/sessions.ts';
import { CoderService } from './coder-service.ts';
import type { Config } from './config.ts';
import { agentRoutes } from './routes/agents.ts';
import { coderRoutes } from './routes/coder.ts';

export interface AppDeps {
  config: Config;
  sql: Sql;
  /** `$BOOCODE_HOME/token`: the user's in token mode, the server's voucher in proxy mode. */
  token: string;
  /** Route table, for the test that no route is left open. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
  /** The provider registry and the backend agents run on; without them no session starts. */
  agents?: AgentDeps;
  /** Sees the agent sessions (tests wait on their turns). */
  onAgentSessions?: (sessions: AgentSessions) => void;
}

const NO_AGENTS: AgentDeps = {
  resolveLaunch: () =>
    Promise.reject(new AppError('conflict', 'No agent provider is available in this build.')),
  startAgent: () => Promise.reject(new Error('no agent backend')),
};

/** Builds the coder service without listening (tests use `inject` or listen on port 0). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, sql, token, onRoute } = deps;
  let agents: AgentSessions | null = null;
  const app = await createServiceApp({
    name: 'coder',
    logLevel: config.logLevel,
    auth: backendAuth(config, token, sql),
    // Client frames are none: the sockets only send.
    websocket: { maxPayload: 64 * 1024 },
    preClose: async () => agents?.shutdown(),
    onRoute,
  });
  agents = new AgentSessions({
    sql,
    home: config.home,
    deps: deps.agents ?? NO_AGENTS,
    log: app.log,
  });
  const recovered = await agents.recover();
  if (recovered) app.log.info(`${recovered} agent session(s) ended while coder was away`);
  deps.onAgentSessions?.(agents);
  await app.register(coderRoutes, { coder: new CoderService(sql) });
  await app.register(agentRoutes, { agents });
  return app;
}
