import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import type { ApplyItem, PriorFile, WriteSetDone } from '@boocode/protocol';
import type { PathGuard } from './path-guard.ts';
import { contentHash, readBytes, resolveForWrite } from './pending.ts';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

/** What an apply or a rewind answers: done, or the refusal and the file it is about. */
export type WriteSetResult = WriteSetDone | (ToolError & { path: string | null });

/** The file system calls apply makes; tests replace some to inject failures. */
export type FileIO = {
  writeFile(file: string, data: string, opts: { flag: string; mode?: number }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  mkdir(dir: string, opts: { recursive: true }): Promise<string | undefined>;
  rmdir(dir: string): Promise<void>;
  chmod(file: string, mode: number): Promise<void>;
};

export type ApplyOptions = {
  /** Root id the paths are relative to; the guard's first root by default. */
  root?: string;
  io?: Partial<FileIO>;
  /** Called with each real path written or removed, as it happens (the fuzz checks them). */
  onWrite?: (abs: string) => void;
};

const realIO: FileIO = {
  writeFile: (f, d, o) => fsp.writeFile(f, d, o),
  rename: (a, b) => fsp.rename(a, b),
  unlink: (f) => fsp.unlink(f),
  mkdir: (d, o) => fsp.mkdir(d, o),
  rmdir: (d) => fsp.rmdir(d),
  chmod: (f, m) => fsp.chmod(f, m),
};

type Target = {
  rel: string;
  abs: string;
  rootReal: string;
  after: string | null;
  prior: PriorFile;
};

/**
 * Applies a set of queued changes atomically: every file's current content must still hash to
 * what its first change was queued on, or nothing is written (`conflict`). New contents go to
 * temp files first and are renamed into place; if any step fails, the files already changed are
 * put back as they were. Every path goes through the guard again here.
 */
export async function applyChanges(
  guard: PathGuard,
  items: readonly ApplyItem[],
  opts: ApplyOptions = {},
): Promise<WriteSetResult> {
  const groups = new Map<string, ApplyItem[]>();
  for (const item of items) {
    const list = groups.get(item.path);
    if (list) list.push(item);
    else groups.set(item.path, [item]);
  }
  const targets: Target[] = [];
  for (const [rel, list] of groups) {
    for (let k = 1; k < list.length; k++) {
      if (list[k]!.baseHash !== contentHash(list[k - 1]!.after)) {
        return conflict(
          rel,
          `The changes to "${rel}" do not follow one another; apply them in the order they were queued.`,
        );
      }
    }
    const first = list[0]!;
    const current = await currentFile(guard, rel, opts.root);
    if (!current.ok) return { ...current, path: rel };
    const hash = current.prior.existed ? contentHash(current.prior.content) : null;
    if (hash !== first.baseHash) {
      return conflict(
        rel,
        `"${rel}" changed on disk since the change was queued, so nothing was applied. Reject the change and make it again on the current file.`,
      );
    }
    targets.push({ ...current.target, after: list.at(-1)!.after, prior: current.prior });
  }
  return writeSet(targets, opts);
}

/**
 * Puts files back as a checkpoint recorded them (content, existence, mode) and removes the
 * directories the apply created, when they are empty again. Atomic like {@link applyChanges}.
 */
export async function restoreFiles(
  guard: PathGuard,
  files: readonly PriorFile[],
  createdDirs: readonly string[],
  opts: ApplyOptions = {},
): Promise<WriteSetResult> {
  const targets: Target[] = [];
  for (const file of files) {
    const current = await currentFile(guard, file.path, opts.root);
    if (!current.ok) return { ...current, path: file.path };
    targets.push({
      ...current.target,
      after: file.existed ? (file.content ?? '') : null,
      prior: { ...current.prior, mode: file.existed ? file.mode : current.prior.mode },
    });
  }
  const done = await writeSet(targets, opts);
  if (!done.ok) return done;
  const io = { ...realIO, ...opts.io };
  const dirs = [...createdDirs].sort((a, b) => b.length - a.length);
  for (const dir of dirs) {
    const r = await resolveForWrite(guard, dir, { root: opts.root });
    // Only empty ones go: anything the user put there since stays.
    if (r.ok) await io.rmdir(r.abs).catch(() => {});
  }
  return done;
}

async function currentFile(
  guard: PathGuard,
  rel: string,
  root: string | undefined,
): Promise<{ ok: true; target: Omit<Target, 'after' | 'prior'>; prior: PriorFile } | ToolError> {
  const r = await resolveForWrite(guard, rel, { root });
  if (!r.ok) return r;
  const bytes = await readBytes(r.abs, r.rel);
  if (bytes !== null && !Buffer.isBuffer(bytes)) return { ...bytes, code: 'conflict' };
  let mode: number | null = null;
  if (bytes !== null) mode = (await fsp.lstat(r.abs)).mode & 0o7777;
  const rootReal = r.abs.slice(0, r.abs.length - r.rel.length - 1) || '/';
  return {
    ok: true,
    target: { rel: r.rel, abs: r.abs, rootReal },
    prior: {
      path: r.rel,
      existed: bytes !== null,
      content: bytes === null ? null : bytes.toString('utf8'),
      mode,
    },
  };
}

async function writeSet(targets: Target[], opts: ApplyOptions): Promise<WriteSetResult> {
  const io = { ...realIO, ...opts.io };
  const temps = new Map<Target, string>();
  const createdDirs: string[] = [];
  const cleanup = async () => {
    await Promise.all([...temps.values()].map((t) => io.unlink(t).catch(() => {})));
    for (const dir of [...createdDirs].reverse()) await io.rmdir(dir).catch(() => {});
  };

  // Phase 1: every new content in a temp file beside its target; the targets are untouched.
  for (const t of targets) {
    if (t.after === null) continue;
    try {
      const dir = path.dirname(t.abs);
      const made = await io.mkdir(dir, { recursive: true });
      // mkdir answers the topmost directory it made: record each one from there down.
      if (made !== undefined) {
        const chain: string[] = [];
        for (let d = dir; d !== made && d.startsWith(`${made}/`); d = path.dirname(d))
          chain.unshift(d);
        createdDirs.push(made, ...chain);
      }
      if (!(await stillReal(dir))) {
        await cleanup();
        return moved(t.rel, 'nothing was changed');
      }
      const temp = path.join(dir, `.${path.basename(t.abs)}.${randomBytes(6).toString('hex')}.tmp`);
      await io.writeFile(temp, t.after, { flag: 'wx' });
      temps.set(t, temp);
      if (t.prior.mode !== null) await io.chmod(temp, t.prior.mode);
    } catch (err) {
      await cleanup();
      return failed(t.rel, err, 'nothing was changed');
    }
  }

  // Phase 2: rename (or unlink) into place; a failure puts back the ones already done.
  const done: Target[] = [];
  for (const t of targets) {
    try {
      if (!(await stillReal(path.dirname(t.abs)))) {
        const unrestored = await rollback(io, done);
        await cleanup();
        return moved(t.rel, restoredTail(unrestored));
      }
      const temp = temps.get(t);
      if (temp !== undefined) {
        await io.rename(temp, t.abs);
        temps.delete(t);
      } else {
        await io.unlink(t.abs).catch((err: unknown) => {
          if (errnoCode(err) !== 'ENOENT') throw err;
        });
      }
      opts.onWrite?.(t.abs);
      done.push(t);
    } catch (err) {
      const unrestored = await rollback(io, done);
      await cleanup();
      return failed(t.rel, err, restoredTail(unrestored));
    }
  }
  return {
    ok: true,
    prior: targets.map((t) => t.prior),
    createdDirs: createdDirs.map((d) => path.relative(targets[0]!.rootReal, d)),
  };
}

/** Puts each target back as it was, newest first; answers the paths it could not restore. */
async function rollback(io: FileIO, done: Target[]): Promise<string[]> {
  const unrestored: string[] = [];
  for (const t of [...done].reverse()) {
    try {
      if (!t.prior.existed) {
        await io.unlink(t.abs);
        continue;
      }
      const temp = `${t.abs}.${randomBytes(6).toString('hex')}.restore`;
      await io.writeFile(temp, t.prior.content ?? '', { flag: 'wx' });
      if (t.prior.mode !== null) await io.chmod(temp, t.prior.mode);
      await io.rename(temp, t.abs);
    } catch {
      unrestored.push(t.rel);
    }
  }
  return unrestored;
}

/**
 * The guard resolved every path to its real form; a directory on it that is no longer that (a
 * folder swapped for a symlink since, pointing out of the project) would carry the write along.
 * Checked again right before each write: Node has no openat() to hold the folder itself.
 */
async function stillReal(dir: string): Promise<boolean> {
  return (await fsp.realpath(dir).catch(() => null)) === dir;
}

function restoredTail(unrestored: string[]): string {
  return unrestored.length === 0
    ? 'nothing was applied: the files already written were restored'
    : `and these files could not be restored: ${unrestored.join(', ')}`;
}

function moved(rel: string, tail: string): WriteSetResult {
  return {
    ...toolError('denied', `A folder on the path of "${rel}" changed (a symlink now?); ${tail}.`),
    path: rel,
  };
}

function conflict(rel: string, message: string): WriteSetResult {
  return { ...toolError('conflict', message), path: rel };
}

function failed(rel: string, err: unknown, tail: string): WriteSetResult {
  const code = errnoCode(err) ?? 'unknown error';
  return {
    ...toolError('io_error', `Could not write "${rel}" (${code}); ${tail}.`),
    path: rel,
  };
}
