import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PathGuard } from './path-guard.ts';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

/** Default cap on entries one `list_dir` call returns. */
export const LIST_DIR_MAX_ENTRIES = 1000;

export type ListDirArgs = { path?: string; root?: string };
export type ListDirOptions = { maxEntries?: number };

export type DirEntry = {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Bytes, for files only. */
  size?: number;
};

export type ListDirResult =
  | {
      ok: true;
      path: string;
      entries: DirEntry[];
      /** Entries in the directory, including those left out by the cap. */
      total: number;
      truncated: boolean;
    }
  | ToolError;

const TYPE_ORDER: Record<DirEntry['type'], number> = { dir: 0, file: 1, symlink: 1, other: 1 };

/**
 * `list_dir`: one directory's entries, directories first then by name, capped (default 1000).
 * Symlinks are reported as such and never followed, so a link out of the root shows only its
 * name. It does not recurse, so `.git` appears as one entry.
 */
export async function listDir(
  guard: PathGuard,
  args: ListDirArgs,
  opts: ListDirOptions = {},
): Promise<ListDirResult> {
  const maxEntries = opts.maxEntries ?? LIST_DIR_MAX_ENTRIES;
  const resolved = await guard.resolve(args.path ?? '', { root: args.root });
  if (!resolved.ok) return resolved;

  let dirents;
  try {
    dirents = await readdir(resolved.abs, { withFileTypes: true });
  } catch (err) {
    return listError(errnoCode(err), resolved.rel);
  }

  const all = await Promise.all(
    dirents.map(async (d): Promise<DirEntry> => {
      const known = direntType(d);
      if (known) return { name: d.name, type: known };
      // Some file systems do not fill in d_type; ask lstat, which never follows a link.
      try {
        const st = await lstat(path.join(resolved.abs, d.name));
        return { name: d.name, type: direntType(st) ?? 'other' };
      } catch {
        return { name: d.name, type: 'other' };
      }
    }),
  );
  // Code-unit order, not locale order: the same listing on every machine.
  all.sort(
    (a, b) =>
      TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const entries = all.slice(0, maxEntries);
  await Promise.all(
    entries.map(async (entry) => {
      if (entry.type !== 'file') return;
      try {
        entry.size = (await lstat(path.join(resolved.abs, entry.name))).size;
      } catch {
        // Deleted between readdir and lstat: list it without a size rather than fail the call.
      }
    }),
  );
  return {
    ok: true,
    path: resolved.rel,
    entries,
    total: all.length,
    truncated: all.length > entries.length,
  };
}

type TypeProbe = {
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
};

function direntType(d: TypeProbe): DirEntry['type'] | undefined {
  if (d.isDirectory()) return 'dir';
  if (d.isFile()) return 'file';
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) return 'other';
  return undefined;
}

function listError(code: string | undefined, rel: string): ToolError {
  switch (code) {
    case 'ENOENT':
      return toolError('not_found', `There is no directory "${rel}".`);
    case 'ENOTDIR':
      return toolError('not_a_directory', `"${rel}" is a file; use read_file.`);
    case 'EACCES':
    case 'EPERM':
      return toolError('denied', `Permission denied listing "${rel}".`);
    default:
      return toolError('io_error', `Could not list "${rel}" (${code ?? 'unknown error'}).`);
  }
}
