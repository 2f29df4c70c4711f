import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

// Symlinks followed by hand before giving up, the same budget as Linux's MAXSYMLINKS.
const MAX_LINK_HOPS = 40;

export type RealPath = { ok: true; abs: string } | ToolError;

/**
 * The real location of an absolute, normalized path that may not exist yet: `realpath` of the
 * nearest existing ancestor with the missing tail appended. A dangling symlink on the way is
 * followed by hand, because a later write through it would land wherever it points.
 */
export async function realLocation(abs: string, shown: string, hops = 0): Promise<RealPath> {
  const tail: string[] = [];
  let head = abs;
  let real: string;
  for (;;) {
    try {
      real = await realpath(head);
      break;
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT') return fsRefusal(code, shown);
      if (head === '/') return toolError('io_error', `Could not resolve "${shown}".`);
      tail.unshift(path.basename(head));
      head = path.dirname(head);
    }
  }
  const [first, ...rest] = tail;
  if (first === undefined) return { ok: true, abs: real };

  // realpath failed one level down, so `first` is either missing or a dangling symlink; only
  // it can be a link, as nothing below a missing name can exist.
  const firstPath = path.join(real, first);
  try {
    if (!(await lstat(firstPath)).isSymbolicLink()) {
      // Something exists where realpath saw nothing: the tree changed under us; do not guess.
      return toolError('io_error', `"${shown}" changed while it was being resolved.`);
    }
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return { ok: true, abs: path.join(real, ...tail) };
    return fsRefusal(code, shown);
  }
  if (hops >= MAX_LINK_HOPS) return loop(shown);
  let target: string;
  try {
    target = await readlink(firstPath);
  } catch (err) {
    return fsRefusal(errnoCode(err), shown);
  }
  return realLocation(path.resolve(real, target, ...rest), shown, hops + 1);
}

function fsRefusal(code: string | undefined, shown: string): ToolError {
  switch (code) {
    case 'ELOOP':
      return loop(shown);
    case 'ENOTDIR':
      return toolError(
        'not_a_directory',
        `"${shown}" goes through a file as if it were a directory.`,
      );
    case 'ENAMETOOLONG':
      return toolError('bad_path', `"${shown}" is too long for the file system.`);
    case 'EACCES':
    case 'EPERM':
      return toolError('denied', `Permission denied while resolving "${shown}".`);
    default:
      return toolError('io_error', `Could not resolve "${shown}" (${code ?? 'unknown error'}).`);
  }
}

function loop(shown: string): ToolError {
  return toolError('symlink_loop', `"${shown}" runs into a symlink loop.`);
}
