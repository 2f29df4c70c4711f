import { randomUUID } from 'node:crypto';
import { copyFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { WRITE_MAX_BYTES, type ChangeRequest, type ProjectChanges } from '@boocode/files';
import type { AgentEvent } from '@boocode/protocol';
import { git, gitText } from './git.ts';
import type { Worktree } from './worktrees.ts';

/** One path the agent changed since the last sync, relative to the project. */
interface Changed {
  path: string;
  /** The blob of its new content; null when the path was deleted. */
  blob: string | null;
  /** git's mode of the new entry (100644, 100755, 120000 a link, 160000 a submodule). */
  mode: string;
}

/**
 * The state of a worktree (tracked and untracked files, ignored ones left out) as a tree object,
 * written through a copy of its index so neither the agent's index nor its HEAD moves.
 */
export async function snapshotTree(wt: Worktree): Promise<string> {
  const indexPath = path.resolve(
    wt.root,
    await gitText(['rev-parse', '--git-path', 'index'], { cwd: wt.root }),
  );
  // Its own scratch index: an arena's diff may snapshot a worktree while another one runs.
  const scratch = `${indexPath}.boocode-sync-${randomUUID()}`;
  try {
    // The copy keeps the index's own time: git trusts a cached stat only for files older than
    // the index, and a copy made now would make a same-size edit of this second look unchanged.
    const { mtimeMs } = await stat(indexPath);
    await copyFile(indexPath, scratch);
    const at = Math.floor(mtimeMs) / 1000;
    await utimes(scratch, at, at);
  } catch {
    await rm(scratch, { force: true }); // no index yet: every file is hashed
  }
  const env = { GIT_INDEX_FILE: scratch };
  try {
    await git(['add', '-A'], { cwd: wt.root, env });
    return await gitText(['write-tree'], { cwd: wt.root, env });
  } finally {
    await rm(scratch, { force: true });
  }
}

/** What changed between two trees inside the project's folder; renames are a delete and an add. */
async function changedBetween(wt: Worktree, from: string, to: string): Promise<Changed[]> {
  const raw = await git(['diff-tree', '-r', '-z', '--no-renames', from, to], { cwd: wt.root });
  // Raw format: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per entry.
  const parts = raw.toString('utf8').split('\0');
  const out: Changed[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, newMode = '', , newSha = '', status = ''] = parts[i]!.slice(1).split(' ');
    const full = parts[i + 1]!;
    if (!full.startsWith(wt.prefix)) continue;
    const rel = full.slice(wt.prefix.length);
    out.push({ path: rel, blob: status === 'D' ? null : newSha, mode: newMode });
  }
  return out;
}

/** Text content of a blob; null when it is binary, not UTF-8 or over the write limit. */
async function blobText(wt: Worktree, blob: string): Promise<string | null> {
  const size = Number(await gitText(['cat-file', '-s', blob], { cwd: wt.root }));
  if (size > WRITE_MAX_BYTES) return null;
  const bytes = await git(['cat-file', 'blob', blob], { cwd: wt.root });
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

export interface SyncResult {
  /** The tree synced: the next sync starts from it. */
  tree: string;
  /** Paths queued as pending changes (relative to the project). */
  queued: string[];
  /** Paths left out, with why (binary, too large, a link, refused by the guard...). */
  skipped: { path: string; reason: string }[];
}

/**
 * Queues what the agent changed in its worktree since `from` (a tree) as pending changes of the
 * project under `chatId`. A path whose new content is what the queue already leaves for it (the
 * newest pending change, else the disk) is not queued again, so each turn adds only its own
 * increment.
 */
export async function syncWorktree(
  wt: Worktree,
  from: string,
  changes: ProjectChanges,
  chatId: string,
): Promise<SyncResult> {
  const tree = await snapshotTree(wt);
  const result: SyncResult = { tree, queued: [], skipped: [] };
  if (tree === from) return result;
  for (const c of await changedBetween(wt, from, tree)) {
    let req: ChangeRequest;
    if (c.blob === null) {
      req = { kind: 'delete', path: c.path };
    } else if (c.mode !== '100644' && c.mode !== '100755') {
      result.skipped.push({ path: c.path, reason: 'not a regular file' });
      continue;
    } else {
      const content = await blobText(wt, c.blob);
      if (content === null) {
        result.skipped.push({ path: c.path, reason: 'binary or too large' });
        continue;
      }
      req = { kind: 'write', path: c.path, content };
    }
    const r = await changes.queue(chatId, req);
    if (r.ok) {
      result.queued.push(c.path);
      continue;
    }
    // The queue already leaves this absence: nothing to add, nothing to say.
    if (r.code === 'not_found') continue;
    // Or this content: a pending change of this pane's or another chat's leaves it already.
    const reason =
      req.kind === 'write' && r.code === 'conflict'
        ? 'already pending with this content'
        : r.message;
    result.skipped.push({ path: c.path, reason });
  }
  return result;
}

/** The `changes` event a sync makes: none when it queued and left out nothing. */
export function changesEvent(r: SyncResult): AgentEvent | null {
  if (r.queued.length === 0 && r.skipped.length === 0) return null;
  const skipped = r.skipped.length > 0 ? { skipped: r.skipped } : {};
  return { type: 'changes', paths: r.queued, ...skipped };
}
