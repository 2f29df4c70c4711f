import type { Sql } from '@boocode/db';
import type { ProbeAgent } from '../providers/probes.ts';
import { startAcpAgent } from './acp/acp-backend.ts';
import { probeAcp } from './acp/probe.ts';
import type { AgentDriver, StartAgent } from './backend.ts';
import { findClaudeSdkBinary } from './claude/binary.ts';

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

interface DriverBackends {
  start: StartAgent;
  probe: ProbeAgent;
  dispose(): Promise<void>;
}

export function agentBackends(opts: { sql: Sql }): AgentBackends {
  // Their SDKs load with the first session or probe that needs them, not at coder's start.
  const claude = lazy(async () =>
    (await import('./claude/backend.ts')).createClaudeSdkBackends({ sql: opts.sql }),
  );
  const opencode = lazy(async () =>
    (await import('./opencode/opencode-backend.ts')).createOpencodeBackends(),
  );
  const start: Record<AgentDriver, StartAgent> = {
    acp: startAcpAgent,
    http: opencode.start,
    sdk: claude.start,
  };
  return {
    start: (o) => start[o.launch.driver ?? 'acp'](o),
    probe: { acp: probeAcp, http: opencode.probe, sdk: claude.probe },
    dispose: async () => {
      await Promise.all([claude.dispose(), opencode.dispose()]);
    },
  };
}

/** A driver's backends, made (their module and SDK loaded) when first used. */
function lazy(load: () => Promise<DriverBackends>): DriverBackends {
  let made: Promise<DriverBackends> | null = null;
  const get = () => (made ??= load());
  return {
    start: async (o) => (await get()).start(o),
    probe: async (launch, o) => (await get()).probe(launch, o),
    dispose: async () => {
      if (made) await (await made).dispose();
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
