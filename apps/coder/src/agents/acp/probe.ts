import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Choice } from '@boocode/protocol';
import type { AgentLaunch, AgentSink } from '../backend.ts';
import { openAcpAgent } from './acp-backend.ts';

export type ProbeResult =
  | {
      ok: true;
      agent: string | null;
      version: string | null;
      models: Choice[];
      modes: Choice[];
      thinkingLevels?: Choice[];
    }
  | { ok: false; error: string };

/** A probe asks nothing: a permission question (there should be none) is declined. */
const quietSink: AgentSink = {
  emit: () => {},
  requestPermission: () => Promise.resolve({ cancelled: true }),
};

/**
 * Tier 2 of a provider probe: starts the agent in a fresh temp dir, completes `initialize` and
 * `session/new` within `timeoutMs`, and closes it (the whole process group) either way.
 */
export async function probeAcp(
  launch: AgentLaunch,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<ProbeResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'boocode-probe-'));
  try {
    const { backend, agentInfo } = await openAcpAgent({
      launch,
      cwd: dir,
      sink: quietSink,
      startTimeoutMs: opts.timeoutMs,
      signal: opts.signal,
    });
    await backend.close();
    return {
      ok: true,
      agent: agentInfo?.title ?? agentInfo?.name ?? null,
      version: agentInfo?.version ?? null,
      models: backend.started.models,
      modes: backend.started.modes,
    };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
