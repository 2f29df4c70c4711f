import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Choice, type ProbeState } from '@boocode/protocol';
import type { ProbeResult } from '../agents/acp/probe.ts';
import type { AgentLaunch } from '../agents/backend.ts';
import { writeAtomic } from './config-file.ts';

/** Tier 2: an agent's handshake (ACP initialize and a new session), as the ACP backend runs it. */
export type { ProbeResult };
export type ProbeAgent = (
  launch: AgentLaunch,
  opts: { timeoutMs: number; signal?: AbortSignal },
) => Promise<ProbeResult>;

/** A finished probe, and what the last good one offered. */
const Finished = z.object({
  at: z.string(),
  error: z.string().nullable(),
  good: z
    .object({
      version: z.string().nullable(),
      models: z.array(Choice),
      modes: z.array(Choice),
      thinkingLevels: z.array(Choice).default([]),
    })
    .nullable(),
});
type Finished = z.infer<typeof Finished>;
/** `$BOOCODE_HOME/coder-probes.json`: a cache, so a file that does not parse is dropped. */
const ProbesFile = z.object({ probes: z.record(z.string(), Finished) });

export interface ProbeView {
  probe: ProbeState;
  version: string | null;
  models: Choice[];
  modes: Choice[];
  thinkingLevels: Choice[];
}

/** The tier-2 results: in memory, written through to the cache file; one run per provider. */
export class ProbeCache {
  private readonly done = new Map<string, Finished>();
  private readonly running = new Map<string, Promise<void>>();
  /** Probes due soon (the start-up ones): shown as probing until they ran. */
  private readonly queued = new Set<string>();
  /** Shutting down: what a probe cut short answers is not recorded. */
  private stopped = false;
  private writing: Promise<void>;

  constructor(private readonly file: string) {
    this.writing = this.load();
  }

  /** Resolves once the cache file is read (and every write so far is done). */
  ready(): Promise<void> {
    return this.writing;
  }

  private async load(): Promise<void> {
    try {
      const parsed = ProbesFile.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      if (!parsed.success) return;
      for (const [id, f] of Object.entries(parsed.data.probes)) this.done.set(id, f);
    } catch {
      // no cache yet, or unreadable: every provider starts unprobed
    }
  }

  view(id: string): ProbeView {
    const f = this.done.get(id);
    const state =
      this.running.has(id) || this.queued.has(id)
        ? 'probing'
        : !f
          ? 'unprobed'
          : f.error === null
            ? 'ok'
            : 'failed';
    return {
      probe: { state, at: f?.at ?? null, error: state === 'failed' ? (f?.error ?? null) : null },
      version: f?.good?.version ?? null,
      models: f?.good?.models ?? [],
      modes: f?.good?.modes ?? [],
      thinkingLevels: f?.good?.thinkingLevels ?? [],
    };
  }

  /**
   * Marks probes as due: each shows as probing from now until it ran (or `unqueue`), so that a
   * client that sees no probe running knows that no modes or models are still to come.
   */
  queue(ids: string[]): void {
    for (const id of ids) this.queued.add(id);
  }

  unqueue(id: string): void {
    this.queued.delete(id);
  }

  /** From now on nothing is recorded (see `stopped`). */
  stop(): void {
    this.stopped = true;
    this.queued.clear();
  }

  /** Runs `probe` unless one runs already for `id` (then waits for that one). */
  run(id: string, probe: () => Promise<ProbeResult>): Promise<void> {
    const current = this.running.get(id);
    if (current) return current;
    const run = (async () => {
      await this.ready(); // also: `running` holds this run before anything of it happens
      let result: ProbeResult;
      try {
        result = await probe();
      } catch (err) {
        result = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      this.running.delete(id);
      this.queued.delete(id);
      if (this.stopped) return;
      const before = this.done.get(id);
      this.done.set(id, {
        at: new Date().toISOString(),
        error: result.ok ? null : result.error || 'the probe failed',
        good: result.ok
          ? {
              version: result.version || null,
              models: result.models,
              modes: result.modes,
              thinkingLevels: result.thinkingLevels ?? [],
            }
          : (before?.good ?? null),
      });
      await this.persist();
    })();
    this.running.set(id, run);
    return run;
  }

  /** Resolves when every probe running now has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()]);
    await this.writing;
  }

  private persist(): Promise<void> {
    const text = `${JSON.stringify({ probes: Object.fromEntries(this.done) }, null, 2)}\n`;
    this.writing = this.writing.then(() => writeAtomic(this.file, text).catch(() => undefined));
    return this.writing;
  }
}

/** Rejects after `ms` unless `p` settles first; the timer never outlives the race. */
export function within<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
