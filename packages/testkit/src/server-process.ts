import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  /** The URL the server printed, with its token when it has one. */
  url: URL;
  token: string;
  /**
   * Resolves with the first match of `re` in what the process has printed (stdout and stderr,
   * from its start): how a test learns what only its output tells, such as a child's pid.
   */
  waitForOutput(re: RegExp): Promise<RegExpMatchArray>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a service's real entry point and resolves with the URL it prints: `src/main.ts` of
 * an app through tsx, or with `run: 'bundle'` its build (`dist/main.js`, made by
 * scripts/build-services.mjs), as `pnpm start` does. A run that fails half-way does not
 * leave the process behind.
 */
export async function startServerProcess(
  appDir: string,
  env: Record<string, string>,
  run: 'source' | 'bundle' = 'source',
  /** Flags for this node only (NODE_OPTIONS would reach the services it starts too). */
  nodeArgs: string[] = [],
): Promise<ServerProcess> {
  const entry =
    run === 'bundle'
      ? ['--enable-source-maps', path.join(appDir, 'dist/main.js')]
      : ['--import', 'tsx', path.join(appDir, 'src/main.ts')];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: appDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  let out = '';
  const watchers = new Set<() => void>();
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (d: Buffer) => {
      out += d.toString();
      for (const w of watchers) w();
    });
  }
  const waitForOutput = (re: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(re);
        if (!m) return;
        watchers.delete(check);
        child.off('exit', exited);
        resolve(m);
      };
      const exited = (code: number | null) => {
        watchers.delete(check);
        reject(new Error(`exited (${code}) before printing ${re}: ${out.slice(-2000)}`));
      };
      watchers.add(check);
      child.once('exit', exited);
      check();
    });
  const url = new URL((await waitForOutput(/open (http:\/\/\S+)/))[1]!);
  return {
    child,
    url,
    token: url.searchParams.get('token') ?? '',
    waitForOutput,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
