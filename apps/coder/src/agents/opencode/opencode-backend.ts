import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Choice } from '@boocode/protocol';
import { z } from 'zod';
import type { AgentLaunch, AgentStartOptions, StartAgent } from '../backend.ts';
import type { ProbeResult } from '../acp/probe.ts';
import { SessionLoop } from './event-loop.ts';
import { OpencodeSession } from './opencode-session.ts';
import { ServerPool, type OpencodeServer } from './servers.ts';
import { SessionMapper } from './session-mapper.ts';

export const DEFAULT_START_TIMEOUT_MS = 30_000;
/** The provider opencode's launch config defines for boocode's endpoint (launch.ts). */
export const BOOCODE_PROVIDER = 'boocode';

/** opencode sends a heartbeat every 10 s; a stream silent this long is opened again. */
export const DEFAULT_SILENCE_MS = 30_000;

export interface OpencodeBackendsOptions {
  /** How long an event stream may stay silent before it is dropped and opened again, ms. */
  silenceMs?: number;
  /** The URL the SDK client uses for a server's URL; tests put a proxy in between. */
  clientUrl?: (serverUrl: string) => string | Promise<string>;
}

export interface OpencodeBackends {
  /** Opens an opencode session in `opts.cwd` on the server of `opts.launch`. */
  start: StartAgent;
  /** Tier 2 of a probe: starts a server, lists its models and agents (modes), stops it. */
  probe(
    launch: AgentLaunch,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ProbeResult>;
  /** Closes every session's loop and stops every server. */
  dispose(): Promise<void>;
  /** Event loops not ended yet (one per open session). */
  liveLoops(): number;
  /** Process ids of the running `opencode serve` processes. */
  serverPids(): Promise<number[]>;
}

const Created = z.object({ id: z.string().min(1) });
const Providers = z.object({
  providers: z.array(z.object({ id: z.string(), models: z.record(z.string(), z.unknown()) })),
  default: z.record(z.string(), z.string()).optional(),
});
const Agents = z.array(
  z.object({ name: z.string(), mode: z.string(), hidden: z.boolean().optional() }),
);
const Health = z.object({ version: z.string().optional() });

/** The opencode backend over `opencode serve` and @opencode-ai/sdk (the `http` driver). */
export function createOpencodeBackends(options: OpencodeBackendsOptions = {}): OpencodeBackends {
  const pool = new ServerPool({ clientUrl: options.clientUrl });
  const live = new Set<SessionLoop>();
  const sessions = new Set<OpencodeSession>();

  const start: StartAgent = async (opts) => {
    const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    if (opts.signal?.aborted) throw new Error('the start was cancelled');
    // Before any server: a missing worktree is our fault, and starts nothing.
    if (!path.isAbsolute(opts.cwd) || !(await isDirectory(opts.cwd))) {
      throw new Error(`the worktree ${opts.cwd} is not an existing directory`);
    }
    const server = await pool.acquire(opts.launch, { timeoutMs, signal: opts.signal });
    // The server is given back once: by the session's close, or here when the start fails.
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await pool.release(opts.launch, server);
    };
    const open = async () => {
      const [created, settings] = await Promise.all([
        server.client.session.create({ directory: opts.cwd }, { throwOnError: true }),
        settingsOf(server, opts.cwd),
      ]);
      const { id } = Created.parse(created.data);
      const session: OpencodeSession = new OpencodeSession({
        server,
        directory: opts.cwd,
        sessionId: id,
        sink: opts.sink,
        started: {
          ...settings,
          currentModel: opts.model ?? settings.currentModel,
          currentMode: opts.mode ?? settings.currentMode,
        },
        model: modelRef(opts),
        agent: opts.mode,
        release: async () => {
          sessions.delete(session);
          await release();
        },
      });
      sessions.add(session);
      const loop = new SessionLoop(
        server,
        opts.cwd,
        new SessionMapper(id),
        session.hooks,
        live,
        options.silenceMs ?? DEFAULT_SILENCE_MS,
      );
      session.attach(loop);
      try {
        await loop.connected;
      } catch (err) {
        await session.close();
        throw err;
      }
      return session;
    };
    const opening = open();
    try {
      return await withDeadline(opening, timeoutMs, opts.signal, server);
    } catch (err) {
      // A session that opens after all (past the deadline, or cancelled) is closed at once.
      void opening.then(
        (session) => session.close(),
        () => {},
      );
      await release();
      throw err;
    }
  };

  const probe = async (
    launch: AgentLaunch,
    opts: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<ProbeResult> => {
    const dir = await mkdtemp(path.join(tmpdir(), 'boocode-probe-'));
    let server: OpencodeServer | null = null;
    try {
      server = await pool.acquire(launch, opts);
      const s = server;
      const read = async () => {
        const [settings, health] = await Promise.all([
          settingsOf(s, dir),
          s.client.global.health({ throwOnError: true }),
        ]);
        return { settings, version: Health.parse(health.data).version ?? null };
      };
      const { settings, version } = await withDeadline(read(), opts.timeoutMs, opts.signal, s);
      return {
        ok: true,
        agent: 'OpenCode',
        version,
        models: settings.models,
        modes: settings.modes,
      };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    } finally {
      if (server) await pool.release(launch, server);
      await rm(dir, { recursive: true, force: true });
    }
  };

  return {
    start,
    probe,
    liveLoops: () => live.size,
    serverPids: () => pool.pids(),
    dispose: async () => {
      await Promise.all([...sessions].map((s) => s.close().catch(() => {})));
      await Promise.all([...live].map((l) => l.stop()));
      await pool.dispose();
    },
  };
}

/** `provider/model` as opencode's model reference; a bare name is boocode's endpoint's. */
function modelRef(opts: AgentStartOptions): { providerID: string; modelID: string } | undefined {
  if (!opts.model) return undefined;
  const slash = opts.model.indexOf('/');
  if (slash > 0)
    return { providerID: opts.model.slice(0, slash), modelID: opts.model.slice(slash + 1) };
  return { providerID: BOOCODE_PROVIDER, modelID: opts.model };
}

/** The server's models (`provider/model`) and its primary agents (its modes). */
async function settingsOf(server: OpencodeServer, directory: string) {
  const [providers, agents] = await Promise.all([
    server.client.config.providers({ directory }, { throwOnError: true }),
    server.client.app.agents({ directory }, { throwOnError: true }),
  ]);
  const p = Providers.parse(providers.data);
  const models: Choice[] = p.providers.flatMap((prov) =>
    Object.keys(prov.models).map((m) => ({ id: `${prov.id}/${m}`, name: `${prov.id}/${m}` })),
  );
  const modes: Choice[] = Agents.parse(agents.data)
    .filter((a) => (a.mode === 'primary' || a.mode === 'all') && !a.hidden)
    .map((a) => ({ id: a.name, name: a.name }));
  const [provider, model] = Object.entries(p.default ?? {})[0] ?? [];
  return {
    models,
    modes,
    currentModel: provider && model ? `${provider}/${model}` : (models[0]?.id ?? null),
    currentMode: modes.some((m) => m.id === 'build') ? 'build' : (modes[0]?.id ?? null),
  };
}

/** `work` within `ms`, unless cancelled or the server dies first. */
async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  server: OpencodeServer,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`opencode did not open a session within ${ms / 1000} s`)),
          ms,
        );
        onAbort = () => reject(new Error('the start was cancelled'));
        if (signal?.aborted) onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
      server.died.then((reason) => Promise.reject(new Error(reason))),
    ]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}
