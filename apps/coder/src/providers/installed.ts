import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** apps/coder's own node_modules/.bin, where the agent CLIs it ships are. */
export const CODER_BIN = path.resolve(import.meta.dirname, '../../node_modules/.bin');

/** PATH with coder's .bin first. */
export function agentPath(envPath = process.env.PATH ?? ''): string {
  return [CODER_BIN, ...envPath.split(path.delimiter).filter(Boolean)].join(path.delimiter);
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `command` (a name looked up on `searchPath`, or a path), or null. */
export async function resolveCommand(command: string, searchPath: string): Promise<string | null> {
  if (command.includes('/')) {
    const file = path.resolve(command);
    return (await executable(file)) ? file : null;
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    if (await executable(file)) return file;
  }
  return null;
}

/** Tier 1 of a probe: is it there, and which version. */
export interface Installed {
  path: string | null;
  version: string | null;
}

const VERSION = /\d+\.\d+\.\d+/;
export const VERSION_TIMEOUT_MS = 3_000;

/**
 * `<file> --version` (no shell, stdin closed): its first x.y.z, or null. After 3 s its whole
 * process group is killed (a wrapper's children too, which would hold the pipes open).
 */
function versionOutput(file: string, env: Record<string, string>): Promise<string | null> {
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(file, ['--version'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone already
      }
    }, VERSION_TIMEOUT_MS);
    const take = (chunk: Buffer) => {
      if (out.length < 64 * 1024) out += chunk.toString('utf8');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', () => undefined);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(VERSION.exec(out)?.[0] ?? null);
    });
  });
}

/**
 * The version of the npm package a bin links into, when it does (claude-code-acp prints
 * nothing for --version).
 */
async function packageVersion(file: string): Promise<string | null> {
  let dir = path.dirname(await realpath(file));
  while (dir.includes(`${path.sep}node_modules${path.sep}`)) {
    try {
      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (typeof pkg.name === 'string' && typeof pkg.version === 'string') {
        return VERSION.exec(pkg.version)?.[0] ?? null;
      }
    } catch {
      // no package.json here: one folder up
    }
    dir = path.dirname(dir);
  }
  return null;
}

/**
 * Versions by the file they came from (its real path, inode, size and mtime): a snapshot
 * resolves every command again, but runs `--version` only for a binary it has not seen, so a
 * dialog that polls does not start six CLIs a second. An update replaces the file: asked again.
 */
const versions = new Map<string, Promise<string | null>>();

async function versionOf(file: string, env: Record<string, string>): Promise<string | null> {
  const real = await realpath(file);
  const st = await stat(real);
  const key = [real, st.ino, st.size, st.mtimeMs].join(':');
  let version = versions.get(key);
  if (!version) {
    version = (async () =>
      (await versionOutput(file, env)) ?? (await packageVersion(file).catch(() => null)))();
    versions.set(key, version);
  }
  return version;
}

/** Tier 1 for one command: resolved on `searchPath`, then asked its version. Never throws. */
export async function checkInstalled(
  command: string,
  searchPath: string,
  env: Record<string, string>,
): Promise<Installed> {
  const file = await resolveCommand(command, searchPath);
  if (!file) return { path: null, version: null };
  return { path: file, version: await versionOf(file, env).catch(() => null) };
}
