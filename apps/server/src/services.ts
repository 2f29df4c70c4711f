import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Backoff, DEFAULT_BACKOFF, type BackoffPolicy } from '@boocode/protocol';
import type { Config } from './config.ts';
import { describe, healthy, type ServiceAddress } from './service-address.ts';

const appsDir = path.resolve(import.meta.dirname, '../..');

/** Set to true in the bundle (scripts/build-services.mjs); undefined when tsx runs the source. */
declare const __BOOCODE_BUILT__: boolean | undefined;
const built = typeof __BOOCODE_BUILT__ !== 'undefined' && __BOOCODE_BUILT__;

/**
 * How a service is run: its bundle by plain node when the server runs built (`pnpm start`),
 * else its source through tsx (`pnpm dev`, the tests), as the server itself is.
 */
export function serviceCommand(dir: string, fromBundle = built): string[] {
  return fromBundle
    ? ['--enable-source-maps', path.join(dir, 'dist/main.js')]
    : ['--import', 'tsx', path.join(dir, 'src/main.ts')];
}

/** A service the server runs as a child, from `dir` (see {@link serviceCommand}). */
export interface ServiceSpec {
  name: string;
  dir: string;
  /** Where it listens: ready once its `/api/health` answers 200 there. */
  address: ServiceAddress;
  env: Record<string, string>;
}

export interface Services {
  /** Resolves once every service answers its health check (or has failed to start). */
  ready(timeoutMs?: number): Promise<void>;
  /** Stops them all (SIGTERM, then SIGKILL after 10 s) and restarts none. */
  stop(): Promise<void>;
  /** The running child of a service, if any (tests). */
  child(name: string): ChildProcess | undefined;
}

/** Restart delays: 1 s, doubling up to 30 s; back to 1 s after a minute of good running. */
export const BACKOFF: BackoffPolicy & { stableMs: number } = {
  ...DEFAULT_BACKOFF,
  stableMs: 60_000,
};

/**
 * booterm, and coder when its entry point exists, with the server's settings, each listening at
 * its `addresses` entry (a unix socket: `BOOTERM_SOCKET`, `CODER_SOCKET`).
 */
export function serviceSpecs(
  config: Config,
  databaseUrl: string,
  addresses: { booterm: ServiceAddress; coder: ServiceAddress },
): ServiceSpec[] {
  const socket = (a: ServiceAddress) => ('socketPath' in a ? a.socketPath : '');
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    BOOCODE_HOME: config.home,
    BOOCODE_PG_PORT: String(config.pgPort),
    // The front door, for the services' Host and Origin checks of forwarded requests.
    HOST: config.host,
    PORT: String(config.port),
    BOOTERM_PORT: String(config.bootermPort),
    CODER_PORT: String(config.coderPort),
    BOOTERM_SOCKET: socket(addresses.booterm),
    CODER_SOCKET: socket(addresses.coder),
    AUTH_MODE: config.authMode,
    AUTH_PROXY_HEADER: config.proxyHeader,
    AUTH_PROXY_USERS: config.proxyUsers.join(','),
    AUTH_PROXY_SECRET: config.proxySecret ?? '',
    AUTH_PROXY_SECRET_HEADER: config.proxySecretHeader,
    TRUSTED_PROXIES: config.trustedProxies.join(','),
    ALLOWED_ORIGINS: config.allowedOrigins.join(','),
    LOG_LEVEL: config.logLevel,
    // The model endpoint as the server resolved it, for coder's agents.
    LLM_BASE_URL: config.llmBaseUrl,
    LLM_API_KEY: config.llmApiKey ?? '',
  };
  const specs: ServiceSpec[] = [
    {
      name: 'booterm',
      dir: path.join(appsDir, 'booterm'),
      address: addresses.booterm,
      env,
    },
  ];
  if (existsSync(path.join(appsDir, 'coder/src/main.ts'))) {
    specs.push({
      name: 'coder',
      dir: path.join(appsDir, 'coder'),
      address: addresses.coder,
      env,
    });
  }
  return specs;
}

/**
 * Starts each service and keeps it running: a child that exits is started again after a
 * backoff. Their output goes to our stdout, each line prefixed with the service's name.
 * Each child has an IPC channel: if the server dies, the channel closes and they stop.
 */
export function startServices(
  specs: ServiceSpec[],
  out: NodeJS.WritableStream = process.stdout,
  backoff = BACKOFF,
): Services {
  let stopping = false;
  const running = new Map<string, ChildProcess>();
  const timers = new Set<NodeJS.Timeout>();
  /** Who waits for a service's next line of output: a service says it runs once it listens. */
  const waiting = new Map<string, Set<() => void>>();
  const say = (name: string, line: string) => {
    out.write(`[${name}] ${line}\n`);
    for (const wake of waiting.get(name) ?? []) wake();
  };
  const nextLineOrAfter = (name: string, ms: number) =>
    new Promise<void>((resolve) => {
      const wakers = waiting.get(name) ?? new Set();
      waiting.set(name, wakers);
      const wake = () => {
        clearTimeout(t);
        wakers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms).unref();
      wakers.add(wake);
    });

  const run = (spec: ServiceSpec, waits: Backoff) => {
    const startedAt = Date.now();
    const child = spawn(process.execPath, serviceCommand(spec.dir), {
      cwd: spec.dir,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    running.set(spec.name, child);
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) if (line) say(spec.name, line);
      });
      stream.on('end', () => rest && say(spec.name, rest));
    }
    child.on('error', (err) => say(spec.name, `could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (running.get(spec.name) === child) running.delete(spec.name);
      if (stopping) return;
      if (Date.now() - startedAt >= backoff.stableMs) waits.reset();
      const wait = waits.next();
      say(spec.name, `exited (${signal ?? `code ${code}`}); starting it again in ${wait} ms`);
      const t = setTimeout(() => {
        timers.delete(t);
        if (!stopping) run(spec, waits);
      }, wait);
      timers.add(t);
    });
  };
  for (const spec of specs) run(spec, new Backoff(backoff));

  return {
    child: (name) => running.get(name),
    async ready(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      await Promise.all(
        specs.map(async (spec) => {
          while (!stopping && Date.now() < deadline) {
            // Asked again when it prints (its start line comes once it listens), else in 250 ms;
            // waiting from before the check, so that a line printed during it is not missed.
            const woken = nextLineOrAfter(spec.name, 250);
            if (await healthy(spec.address, 1000)) return;
            await woken;
          }
          if (!stopping)
            say(spec.name, `not answering at ${describe(spec.address)} yet; going on without it`);
        }),
      );
    },
    async stop() {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(
        [...running.values()].map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
              child.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
      running.clear();
    },
  };
}
