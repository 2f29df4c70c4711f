import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { Backoff } from '@boocode/protocol';
import type { PgBinaries, PgUser } from './pg-binaries.ts';

/** What PostgreSQL's processes see of our environment: none of our secrets, English messages. */
export function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_MESSAGES: 'C' };
  for (const k of ['PATH', 'LANG', 'LC_CTYPE', 'LC_COLLATE', 'TZ']) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  return env;
}

export interface ClusterRun {
  bins: PgBinaries;
  clusterDir: string;
  /** Who runs PostgreSQL when we are root. */
  user: PgUser | null;
}

/** What happened to a running cluster's postmaster, for the log and the health route. */
export type PostmasterEvent =
  | { type: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'restart_failed'; error: string; retryInMs: number }
  | { type: 'restarted'; pid: number };

export interface PostmasterOptions extends ClusterRun {
  port: number;
  onLog: (line: string) => void;
  onEvent: (event: PostmasterEvent) => void;
}

/**
 * Runs the postmaster and starts it again whenever it dies (killed, crashed, OOM), with a backoff (250 ms doubling to 5 s) while it cannot start: the backends of
 * a killed postmaster hold its shared memory for a moment, and a new one refuses until they
 * are gone. Clients see their connections drop and reconnect on their next query.
 */
export class Postmaster {
  private proc: PostmasterProcess;
  private stopping = false;
  private restarting: Promise<void> | null = null;

  private constructor(
    private readonly opts: PostmasterOptions,
    proc: PostmasterProcess,
  ) {
    this.proc = proc;
    this.watch(proc);
  }

  static async start(opts: PostmasterOptions): Promise<Postmaster> {
    return new Postmaster(opts, await startPostgres(opts));
  }

  /** The running postmaster's pid; null while it is being started again, or once stopped. */
  get pid(): number | null {
    const { proc } = this;
    const ended = proc.exitCode !== null || proc.signalCode !== null;
    return ended ? null : (proc.pid ?? null);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    const proc = this.proc;
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = once(proc, 'exit');
    proc.kill('SIGINT'); // fast shutdown: open transactions are rolled back
    await exited;
  }

  private watch(proc: PostmasterProcess): void {
    proc.once('exit', (code, signal) => {
      // Exit 0 is a shutdown someone asked for (a signal from an admin, a newer boocode
      // taking over the cluster): not ours to undo.
      if (this.stopping || code === 0) return;
      this.opts.onEvent({ type: 'exited', code, signal });
      this.restarting = this.restart().finally(() => (this.restarting = null));
    });
  }

  private async restart(): Promise<void> {
    const backoff = new Backoff({ initialMs: 250, maxMs: 5000 });
    while (!this.stopping) {
      try {
        await clearStalePostmaster(this.opts.clusterDir);
        this.proc = await startPostgres(this.opts);
        this.watch(this.proc);
        this.opts.onEvent({ type: 'restarted', pid: this.proc.pid! });
        return;
      } catch (err) {
        const retryInMs = backoff.next();
        const error = err instanceof Error ? err.message : String(err);
        this.opts.onEvent({ type: 'restart_failed', error, retryInMs });
        await new Promise((r) => setTimeout(r, retryInMs));
      }
    }
  }
}

type PostmasterProcess = ChildProcessByStdio<null, null, Readable>;

/** Starts the postmaster; resolves once it accepts connections. */
function startPostgres(
  c: ClusterRun & { port: number; onLog: (line: string) => void },
): Promise<PostmasterProcess> {
  const args = ['-D', c.clusterDir, '-p', String(c.port), '-c', 'listen_addresses=127.0.0.1'];
  args.push('-c', 'unix_socket_directories=', '-c', 'max_connections=200');
  const child = spawn(c.bins.postgres, args, {
    ...c.user,
    cwd: c.clusterDir,
    env: pgEnv(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let tail = '';
    let ready = false;
    const fail = (why: string) =>
      reject(
        new Error(`PostgreSQL did not start on port ${c.port} (data in ${c.clusterDir}): ${why}`),
      );
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      c.onLog(chunk);
      if (ready) return;
      tail = (tail + chunk).slice(-4000);
      if (tail.includes('database system is ready to accept connections')) {
        ready = true;
        resolve(child);
      }
    });
    child.on('error', (err) => fail(err.message));
    child.on('exit', () => {
      if (ready) return;
      const last = tail.trim().split('\n').slice(-3).join(' ');
      fail(last || 'it exited early; is the port in use?');
    });
  });
}

/**
 * After a crash the postmaster may still run (we are its parent no more) or its
 * pid file may be left behind. A live postmaster of this data dir is asked to
 * shut down fast; a pid file naming no postmaster is removed.
 */
export async function clearStalePostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isPostmasterOf(pid, dataDir)) {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 200 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (isAlive(pid)) throw new Error(`an old PostgreSQL (pid ${pid}) on ${dataDir} will not stop`);
  }
  await rm(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostmasterOf(pid: number, dataDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('postgres') && cmdline.includes(dataDir);
  } catch {
    return false;
  }
}
