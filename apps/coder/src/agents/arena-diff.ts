import { changeDiff, WRITE_MAX_BYTES } from '@boocode/files';
import type { ArenaDiff, ArenaFile, ChangeKind } from '@boocode/protocol';
import { git, gitText } from './git.ts';
import { snapshotTree } from './worktree-sync.ts';
import type { Worktree } from './worktrees.ts';

type FileDiff = ArenaDiff['files'][number];

/**
 * What an entrant changed in its worktree against its baseline (the user's state when it
 * started): each file with its line counts, and its hunks when `hunks` is asked for. Renames are
 * a delete and an add, as the sync queues them; files outside the project's folder are left out.
 */
export async function worktreeDiff(wt: Worktree, hunks: true): Promise<FileDiff[]>;
export async function worktreeDiff(wt: Worktree, hunks?: false): Promise<ArenaFile[]>;
export async function worktreeDiff(wt: Worktree, hunks = false): Promise<ArenaFile[]> {
  const tree = await snapshotTree(wt);
  if (tree === wt.baseline) return [];
  const raw = await git(['diff-tree', '-r', '-z', '--no-renames', wt.baseline, tree], {
    cwd: wt.root,
  });
  // Raw format: ":<old mode> <new mode> <old sha> <new sha> <status>\0<path>\0" per entry.
  const parts = raw.toString('utf8').split('\0');
  const out: FileDiff[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const [, , oldSha = '', newSha = '', status = ''] = parts[i]!.slice(1).split(' ');
    const full = parts[i + 1]!;
    if (!full.startsWith(wt.prefix)) continue;
    const kind: ChangeKind = status === 'A' ? 'create' : status === 'D' ? 'delete' : 'edit';
    const before = kind === 'create' ? null : await blobText(wt, oldSha);
    const after = kind === 'delete' ? null : await blobText(wt, newSha);
    const path = full.slice(wt.prefix.length);
    if ((kind !== 'create' && before === undefined) || (kind !== 'delete' && after === undefined)) {
      out.push({ path, kind, additions: 0, deletions: 0, binary: true, hunks: [] });
      continue;
    }
    const d = changeDiff(before ?? null, after ?? null);
    const file = { path, kind, additions: d.additions, deletions: d.deletions, binary: false };
    out.push(hunks ? { ...file, hunks: d.hunks } : { ...file, hunks: [] });
  }
  return hunks ? out : out.map(({ hunks: _, ...file }) => file);
}

/** A blob's text; undefined when it is binary, not UTF-8 or too large to diff. */
async function blobText(wt: Worktree, blob: string): Promise<string | undefined> {
  const size = Number(await gitText(['cat-file', '-s', blob], { cwd: wt.root }));
  if (size > WRITE_MAX_BYTES) return undefined;
  const bytes = await git(['cat-file', 'blob', blob], { cwd: wt.root });
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
