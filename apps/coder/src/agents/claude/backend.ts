import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PermissionMode } from '@anthropic-ai/claude-agent-sdk';
import type { Sql } from '@boocode/db';
import type { Choice } from '@boocode/protocol';
import type { AgentLaunch, AgentSink, StartAgent } from '../backend.ts';
import type { ProbeResult } from '../acp/probe.ts';
import { ClaudeSdkBackend, type ClaudeSession } from './claude-session.ts';
import { PgSessionStore } from './session-store.ts';

/** How long a session's CLI stays warm after a turn; the next prompt resumes it. */
export const DEFAULT_IDLE_MS = 5 * 60_000;
export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** The permission modes offered (the SDK's `PermissionMode`, but `auto`, which asks a model). */
export const CLAUDE_MODES: Choice[] = [
  { id: 'default', name: 'Default' },
  { id: 'acceptEdits', name: 'Accept edits' },
  { id: 'plan', name: 'Plan' },
  { id: 'dontAsk', name: "Don't ask" },
  { id: 'bypassPermissions', name: 'Bypass permissions' },
];
export const isClaudeMode = (mode: string): mode is PermissionMode =>
  CLAUDE_MODES.some((m) => m.id === mode);

export interface ClaudeSdkBackends {
  /** Starts a session: one warm CLI, resumed from PostgreSQL when `opts.resume` is given. */
  start: StartAgent;
  /** Tier 2: starts the CLI in a temp dir, reads its initialization, closes it. */
  probe(
    launch: AgentLaunch,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ProbeResult>;
  /** Closes every live session of this instance (their CLIs gone). */
  dispose(): Promise<void>;
}

/**
 * The `claude_sdk` backend: the Claude Agent SDK, one warm `query()` per agent session, its
 * transcript mirrored to PostgreSQL so a session resumes after boocode restarts.
 */
export function createClaudeSdkBackends(opts: { sql: Sql; idleMs?: number }): ClaudeSdkBackends {
  const store = new PgSessionStore(opts.sql);
  const live = new Set<ClaudeSession>();
  const start: StartAgent = async (startOpts) => {
    const backend = new ClaudeSdkBackend({
      ...startOpts,
      store,
      idleMs: opts.idleMs ?? DEFAULT_IDLE_MS,
      modes: CLAUDE_MODES,
      isMode: isClaudeMode,
      onClosed: (s) => live.delete(s),
    });
    live.add(backend);
    try {
      await backend.open(startOpts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, startOpts.signal);
    } catch (err) {
      await backend.close();
      throw err;
    }
    return backend;
  };
  return {
    start,
    probe: async (launch, probeOpts) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'boocode-probe-'));
      try {
        const backend = await start({
          launch,
          cwd: dir,
          sink: quietSink,
          startTimeoutMs: probeOpts.timeoutMs,
          signal: probeOpts.signal,
        });
        await backend.close();
        return {
          ok: true,
          agent: 'Claude Agent SDK',
          // The CLI names its version only with its first turn; tier 1 reads it from the binary.
          version: null,
          models: backend.started.models,
          modes: backend.started.modes,
          thinkingLevels: backend.started.thinkingLevels ?? [],
        };
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    dispose: async () => {
      await Promise.all([...live].map((s) => s.close()));
    },
  };
}

/** A probe asks nothing: a permission question (there should be none) is declined. */
const quietSink: AgentSink = {
  emit: () => {},
  requestPermission: () => Promise.resolve({ cancelled: true }),
};

export { findClaudeSdkBinary } from './binary.ts';
