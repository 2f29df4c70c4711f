import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * What of `$BOOCODE_HOME` a backup holds: the settings you wrote or chose. Not in it: `token`
 * (the archive would be a key to your terminals; a restored home makes a new one at start),
 * `pg/` and `pg.secret` (the cluster's own files: the database goes in as a dump), `run/`,
 * `worktrees/` (agents' scratch checkouts), `coder-probes.json` (a cache, probed again), and
 * the agent CLIs' own homes under `agents/<provider>/` (their logins to other services).
 */
const FILES = ['mcp.json', 'models.json', 'coder-providers.json', 'tmux.conf', 'known_hosts'];

/** Whether a path (relative, forward slashes) is one a backup holds. */
export function isBackedUp(rel: string): boolean {
  const parts = rel.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..') || path.isAbsolute(rel)) return false;
  if (parts.length === 1) return FILES.includes(rel);
  if (parts[0] === 'skills') return true;
  return parts[0] === 'agents' && parts.length === 2 && rel.endsWith('.md'); // user agents
}

async function filesUnder(root: string, rel: string): Promise<string[]> {
  const st = await stat(path.join(root, rel)).catch(() => null);
  if (!st) return [];
  if (st.isFile()) return [rel];
  if (!st.isDirectory()) return [];
  const out: string[] = [];
  for (const name of (await readdir(path.join(root, rel))).sort()) {
    out.push(...(await filesUnder(root, `${rel}/${name}`)));
  }
  return out;
}

/** The files of `home` a backup holds, as relative paths. */
export async function homeFiles(home: string): Promise<string[]> {
  const found = [...(await Promise.all(FILES.map((f) => filesUnder(home, f)))).flat()];
  found.push(...(await filesUnder(home, 'skills')));
  const agents = await readdir(path.join(home, 'agents')).catch(() => [] as string[]);
  for (const name of agents.sort()) {
    if (name.endsWith('.md')) found.push(...(await filesUnder(home, `agents/${name}`)));
  }
  return found.filter(isBackedUp);
}

/** Copies `files` (relative paths) from one root to another, keeping their modes. */
export async function copyFiles(from: string, to: string, files: string[]): Promise<void> {
  for (const rel of files) {
    if (!isBackedUp(rel)) throw new Error(`${rel} is not a file a boocode backup holds`);
    const dest = path.join(to, rel);
    await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
    await copyFile(path.join(from, rel), dest);
  }
}

/** Removes what a restore replaces: the backed-up files of `home` (for `--force`). */
export async function removeHomeFiles(home: string): Promise<void> {
  for (const rel of await homeFiles(home)) await rm(path.join(home, rel), { force: true });
  await rm(path.join(home, 'skills'), { recursive: true, force: true });
}
