import type { Sql } from '@boocode/db';
import type { ProbeAgent } from '../providers/probes.ts';
import { startAcpAgent } from './acp/acp-backend.ts';
import { probeAcp } from './acp/probe.ts';
import type { AgentDriver, StartAgent } from './backend.ts';
import { createClaudeSdkBackends, findClaudeSdkBinary } from './claude/backend.ts';
import { createOpencodeBackends } from './opencode/opencode-backend.ts';

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

export function agentBackends(opts: { sql: Sql }): AgentBackends {
  const claude = createClaudeSdkBackends({ sql: opts.sql });
  const opencode = createOpencodeBackends();
  const start: Record<AgentDriver, StartAgent> = {
    acp: startAcpAgent,
    http: opencode.start,
    sdk: claude.start,
  };
  return {
    start: (o) => start[o.launch.driver ?? 'acp'](o),
    probe: {
      acp: probeAcp,
      http: (l, o) => opencode.probe(l, o),
      sdk: (l, o) => claude.probe(l, o),
    },
    dispose: async () => {
      await Promise.all([claude.dispose(), opencode.dispose()]);
    },
  };
}

/**
 * The Claude Agent SDK's CLI, as the registry's tier 1 checks it: the binary of its platform
 * package, or a name on PATH that says what is missing when that package is not installed.
 */
export function claudeSdkCommand(): string {
  return findClaudeSdkBinary() ?? 'claude';
}
