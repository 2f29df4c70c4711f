import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  /** The URL the server printed, with its token when it has one. */
  url: URL;
  token: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs a service's real entry point (`src/main.ts` of an app, through tsx) as
 * `pnpm start` does, and resolves with the URL it prints. A run that fails half-way
 * does not leave the process behind.
 */
export async function startServerProcess(
  appDir: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(appDir, 'src/main.ts')], {
    cwd: appDir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/open (http:\/\/\S+)/);
      if (m) resolve(new URL(m[1]!));
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return {
    child,
    url,
    token: url.searchParams.get('token') ?? '',
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
