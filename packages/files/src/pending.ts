import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { PlannedChange } from '@boocode/protocol';
import type { PathGuard, ResolvedPath } from './path-guard.ts';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

/** Largest file the write tools edit or create, in bytes. */
export const WRITE_MAX_BYTES = 4 * 1024 * 1024;

/** What a write tool asks for; nothing here touches the disk. */
export type ChangeRequest =
  | { kind: 'edit'; path: string; oldString: string; newString: string }
  | { kind: 'create'; path: string; content: string }
  | { kind: 'delete'; path: string }
  /** The whole new content, whether the file exists or not (an agent's worktree result). */
  | { kind: 'write'; path: string; content: string };

/** A file as a change sees it: its text, or that it does not exist. */
export type FileState = { exists: false } | { exists: true; content: string };

/** sha256 (hex) of a file's content; null for a file that does not exist. */
export function contentHash(content: string | Buffer | null): string | null {
  if (content === null) return null;
  return createHash('sha256').update(content).digest('hex');
}

/** The state a file is in after `after` (a change's result) lands. */
export function stateOf(after: string | null): FileState {
  return after === null ? { exists: false } : { exists: true, content: after };
}

/**
 * Resolves a path for a write: through the guard, and never the root itself, nor anything in
 * `.git` (in any case: on a case-insensitive disk `.GIT` is `.git`) or in the folder git takes
 * its hooks from (`core.hooksPath`, e.g. `.husky`): a hook written there would run code the user
 * never reviewed on their next commit.
 */
export async function resolveForWrite(
  guard: PathGuard,
  input: string,
  opts: { root?: string } = {},
): Promise<ResolvedPath | ToolError> {
  const r = await guard.resolve(input, opts);
  if (!r.ok) return r;
  if (r.rel === '.') return toolError('not_a_file', `"${input}" is the project root, not a file.`);
  const rel = r.rel.toLowerCase();
  if (rel.split('/').includes('.git')) {
    return toolError('denied', `"${r.rel}" is inside .git; the write tools do not change it.`);
  }
  const hooks = await hooksDir(r.abs.slice(0, r.abs.length - r.rel.length - 1));
  if (hooks && (rel === hooks || rel.startsWith(`${hooks}/`))) {
    return toolError(
      'denied',
      `"${r.rel}" is in git's hooks folder (core.hooksPath); the write tools do not change it.`,
    );
  }
  return r;
}

/** `core.hooksPath` of the repository at `root`, relative and lower-cased; null: unset or outside. */
function hooksDir(root: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['config', '--type=path', '--get', 'core.hooksPath'],
      { cwd: root, timeout: 10_000 },
      (err, stdout) => {
        const value = err ? '' : stdout.trim();
        if (!value) return resolve(null);
        const rel = path.relative(root, path.resolve(root, value)).split(path.sep).join('/');
        const inside =
          rel !== '' && rel !== '..' && !rel.startsWith('../') && !path.isAbsolute(rel);
        resolve(inside ? rel.toLowerCase() : null);
      },
    );
  });
}

/** Raw bytes of a file, or null when it does not exist; refuses what is not a regular file. */
export async function readBytes(abs: string, rel: string): Promise<Buffer | null | ToolError> {
  let fh;
  try {
    fh = await open(abs, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') return toolError('denied', `"${rel}" is a symlink; it is not followed.`);
    if (code === 'EACCES' || code === 'EPERM') {
      return toolError('denied', `Permission denied reading "${rel}".`);
    }
    return toolError('io_error', `Could not read "${rel}" (${code ?? 'unknown error'}).`);
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return toolError('not_a_file', `"${rel}" is a directory.`);
    if (!st.isFile()) return toolError('not_a_file', `"${rel}" is not a regular file.`);
    if (st.size > WRITE_MAX_BYTES) {
      return toolError('bad_args', `"${rel}" is over ${WRITE_MAX_BYTES} bytes; too large to edit.`);
    }
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** The current text of a file on disk, for planning a change; binary files are refused. */
export async function readState(abs: string, rel: string): Promise<FileState | ToolError> {
  const bytes = await readBytes(abs, rel);
  if (bytes === null) return { exists: false };
  if (!Buffer.isBuffer(bytes)) return bytes;
  if (bytes.includes(0))
    return toolError('binary_file', `"${rel}" is binary; it cannot be edited.`);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return toolError('binary_file', `"${rel}" is not UTF-8 text; it cannot be edited.`);
  }
  return { exists: true, content };
}

/**
 * Checks a change against the file's current state (on disk, or as earlier pending changes leave
 * it) and computes the content after it. An edit needs `oldString` to occur exactly once.
 */
export function planChange(
  req: ChangeRequest,
  rel: string,
  current: FileState,
): { ok: true; change: PlannedChange } | ToolError {
  const before = current.exists ? current.content : null;
  const base = { path: rel, before, baseHash: contentHash(before) };
  switch (req.kind) {
    case 'edit': {
      if (!current.exists) {
        return toolError('not_found', `"${rel}" does not exist; use create_file to make it.`);
      }
      if (req.oldString === '') {
        return toolError('bad_args', 'old_string is empty; give the exact text to replace.');
      }
      if (req.oldString === req.newString) {
        return toolError('bad_args', 'old_string and new_string are the same; nothing changes.');
      }
      const text = current.content;
      const at = text.indexOf(req.oldString);
      if (at < 0) {
        return toolError(
          'bad_args',
          `old_string was not found in "${rel}". It must match the file exactly, whitespace and line breaks included; read the file again.`,
        );
      }
      const again = text.indexOf(req.oldString, at + 1);
      if (again >= 0) {
        const count = countOccurrences(text, req.oldString);
        return toolError(
          'bad_args',
          `old_string occurs ${count} times in "${rel}"; include more surrounding lines so it matches exactly once.`,
        );
      }
      const after = text.slice(0, at) + req.newString + text.slice(at + req.oldString.length);
      if (Buffer.byteLength(after) > WRITE_MAX_BYTES) return tooLarge(rel);
      return {
        ok: true,
        change: {
          ...base,
          kind: 'edit',
          after,
          oldString: req.oldString,
          newString: req.newString,
        },
      };
    }
    case 'create':
      if (current.exists) {
        return toolError(
          'bad_args',
          `"${rel}" already exists; use edit_file to change it (or delete_file first).`,
        );
      }
      if (Buffer.byteLength(req.content) > WRITE_MAX_BYTES) return tooLarge(rel);
      return {
        ok: true,
        change: { ...base, kind: 'create', after: req.content, oldString: null, newString: null },
      };
    case 'write': {
      if (current.exists && current.content === req.content) {
        return toolError('conflict', `"${rel}" already has this content; nothing changes.`);
      }
      if (Buffer.byteLength(req.content) > WRITE_MAX_BYTES) return tooLarge(rel);
      const kind = current.exists ? 'edit' : 'create';
      return {
        ok: true,
        change: { ...base, kind, after: req.content, oldString: null, newString: null },
      };
    }
    case 'delete':
      if (!current.exists) return toolError('not_found', `"${rel}" does not exist.`);
      return {
        ok: true,
        change: { ...base, kind: 'delete', after: null, oldString: null, newString: null },
      };
  }
}

function countOccurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) n += 1;
  return n;
}

function tooLarge(rel: string): ToolError {
  return toolError('bad_args', `"${rel}" would be over ${WRITE_MAX_BYTES} bytes; too large.`);
}
