import {
  type ApplyItem,
  type CheckpointChange,
  notFound,
  type PlannedChange,
  type PriorFile,
  type WriteSetDone,
} from '@boocode/protocol';
import {
  getCheckpoint,
  insertCheckpoint,
  markRewound,
  standingSince,
  type StoredCheckpoint,
} from './checkpoints.ts';
import {
  decideChanges,
  insertPendingChange,
  latestPendingFor,
  listChanges,
  pendingAfter,
  withProjectLock,
  type StoredChange,
} from './pending-changes.ts';
import type { Queryable, Sql } from './sql.ts';

// The file side (path guard, hashes, atomic writes) lives in @boocode/files; these functions hold
// the SQL side and call it back under the project's lock, so that a queue, an apply and a rewind
// in one project never interleave, whichever process runs them.

/** A refusal for the model or the user; `code` comes from the file side or is `conflict`/`nothing`. */
export type CoderRefusal = { ok: false; code: string; message: string };

/** Puts files back as a checkpoint recorded them (`restoreFiles` of @boocode/files). */
export type Restore = (
  files: PriorFile[],
  createdDirs: string[],
) => Promise<WriteSetDone | CoderRefusal>;

/** Pending changes one chat (or, without one, one project) may hold at once. */
export const MAX_PENDING = 1000;

async function countPending(
  sql: Queryable,
  target: { projectId: string; chatId: string | null },
): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from pending_changes
    where project_id = ${target.projectId} and status = 'pending'
      ${target.chatId === null ? sql`and chat_id is null` : sql`and chat_id = ${target.chatId}`}`;
  return row?.n ?? 0;
}

/**
 * Queues a change to `path` (already through the guard): `plan` gets the content the newest
 * pending change to that file leaves (undefined: none, read the disk) and computes the change.
 * Past `maxPending` pending changes of its chat (or project), the change is refused.
 */
export async function queueChange(
  sql: Sql,
  target: { projectId: string; chatId: string | null; path: string },
  plan: (
    pending: { after: string | null } | undefined,
  ) => Promise<{ ok: true; change: PlannedChange } | CoderRefusal>,
  maxPending = MAX_PENDING,
): Promise<{ ok: true; change: StoredChange; onTopOf: string | null } | CoderRefusal> {
  return withProjectLock(sql, target.projectId, async (tx) => {
    const held = await countPending(tx, target);
    if (held >= maxPending) {
      const whose = target.chatId ? 'This chat has' : 'This project has';
      return {
        ok: false,
        code: 'limit_reached',
        message: `${whose} ${held} pending changes, the most it may hold: apply or reject some first.`,
      };
    }
    const latest = await latestPendingFor(tx, target.projectId, target.path);
    const planned = await plan(latest ? { after: latest.afterContent } : undefined);
    if (!planned.ok) return planned;
    const c = planned.change;
    const change = await insertPendingChange(tx, {
      chatId: target.chatId,
      projectId: target.projectId,
      path: c.path,
      kind: c.kind,
      oldString: c.oldString,
      newString: c.newString,
      beforeContent: c.before,
      afterContent: c.after,
      baseHash: c.baseHash,
    });
    return { ok: true, change, onTopOf: latest?.id ?? null };
  });
}

/**
 * Applies pending changes of a project (those of `scope`, narrowed to `ids` when given) as one
 * set, records a checkpoint of what they replaced and marks them applied. A change needs the
 * pending changes queued before it on the same file to be in the set too.
 */
export async function applyPending(
  sql: Sql,
  projectId: string,
  scope: { chatId?: string },
  ids: string[] | undefined,
  apply: (items: ApplyItem[]) => Promise<WriteSetDone | CoderRefusal>,
  restore: Restore,
): Promise<{ ok: true; applied: string[]; checkpoint: StoredCheckpoint } | CoderRefusal> {
  return withProjectLock(sql, projectId, async (tx) => {
    const all = await listChanges(tx, { projectId }, { status: 'pending' });
    const chosen = all.filter(
      (c) =>
        (scope.chatId === undefined || c.chatId === scope.chatId) &&
        (ids === undefined || ids.includes(c.id)),
    );
    if (ids !== undefined) {
      const missing = ids.filter((id) => !chosen.some((c) => c.id === id));
      if (missing.length > 0) {
        return refusal(
          'conflict',
          `${missing.length === 1 ? 'A change is' : `${missing.length} changes are`} no longer pending (applied, rejected or gone).`,
        );
      }
    }
    if (chosen.length === 0) return refusal('nothing', 'There are no pending changes to apply.');
    const chosenIds = new Set(chosen.map((c) => c.id));
    const blocker = all.find(
      (c) =>
        !chosenIds.has(c.id) && chosen.some((s) => s.path === c.path && s.position > c.position),
    );
    if (blocker) {
      return refusal(
        'conflict',
        `"${blocker.path}" has an earlier pending change that the later one was made on; apply that one first, or both together.`,
      );
    }
    const done = await apply(
      chosen.map((c) => ({ id: c.id, path: c.path, baseHash: c.baseHash, after: c.afterContent })),
    );
    if (!done.ok) return done;
    try {
      const changes = summarize(chosen);
      const checkpoint = await insertCheckpoint(tx, {
        projectId,
        chatId: scope.chatId ?? chosen[0]!.chatId,
        summary: describe(changes),
        files: done.prior,
        changes,
        createdDirs: done.createdDirs,
      });
      const applied = await decideChanges(tx, [...chosenIds], 'applied', checkpoint.id);
      return { ok: true, applied, checkpoint };
    } catch (err) {
      // The files changed but the record of it did not: put them back before failing.
      await restore(done.prior, done.createdDirs);
      throw err;
    }
  });
}

/**
 * Rejects pending changes (the scope's, narrowed to `ids`), and with them the pending changes
 * to the same files queued after them, which were computed on top of them.
 */
export async function rejectPending(
  sql: Sql,
  projectId: string,
  scope: { chatId?: string },
  ids: string[] | undefined,
): Promise<string[]> {
  return withProjectLock(sql, projectId, async (tx) => {
    const chosen = await listChanges(
      tx,
      { projectId, chatId: scope.chatId },
      { status: 'pending', ids },
    );
    if (chosen.length === 0) return [];
    const first = Math.min(...chosen.map((c) => c.position));
    const later = await pendingAfter(tx, projectId, [...new Set(chosen.map((c) => c.path))], first);
    const dependents = later.filter((l) =>
      chosen.some((c) => c.path === l.path && l.position > c.position),
    );
    const all = [...new Set([...chosen, ...dependents].map((c) => c.id))];
    return decideChanges(tx, all, 'rejected');
  });
}

/**
 * Rewinds a project to just before a checkpoint: that checkpoint and every later one still
 * standing are undone at once, each file going back to its state before the oldest of them.
 */
export async function rewindTo(
  sql: Sql,
  checkpointId: string,
  restore: Restore,
): Promise<{ ok: true; rewound: string[]; restored: string[] } | CoderRefusal> {
  const target = await getCheckpoint(sql, checkpointId);
  if (!target) throw notFound('checkpoint');
  return withProjectLock(sql, target.projectId, async (tx) => {
    const standing = await standingSince(tx, target.projectId, target.position);
    if (!standing.some((c) => c.id === target.id)) {
      return refusal('conflict', 'This checkpoint was already rewound.');
    }
    const files = new Map<string, PriorFile>();
    const dirs = new Set<string>();
    for (const c of standing) {
      // Newest first, so the oldest prior state of each file is the one kept.
      for (const f of c.files) files.set(f.path, f);
      for (const d of c.createdDirs) dirs.add(d);
    }
    const done = await restore([...files.values()], [...dirs]);
    if (!done.ok) return done;
    const rewound = standing.map((c) => c.id);
    await markRewound(tx, rewound);
    return { ok: true, rewound, restored: [...files.keys()] };
  });
}

/** What a set did to each file: its first change's start to its last change's end. */
function summarize(changes: StoredChange[]): CheckpointChange[] {
  const byPath = new Map<string, { before: string | null; after: string | null }>();
  for (const c of changes) {
    const seen = byPath.get(c.path);
    if (seen) seen.after = c.afterContent;
    else byPath.set(c.path, { before: c.beforeContent, after: c.afterContent });
  }
  return [...byPath].map(([path, { before, after }]) => ({
    path,
    kind: before === null ? 'create' : after === null ? 'delete' : 'edit',
  }));
}

function describe(changes: CheckpointChange[]): string {
  const words = { edit: 'edited', create: 'created', delete: 'deleted' } as const;
  const parts = changes.slice(0, 3).map((c) => `${words[c.kind]} ${c.path}`);
  const more = changes.length > 3 ? ` and ${changes.length - 3} more` : '';
  return `${parts.join(', ')}${more}`.replace(/^./, (ch) => ch.toUpperCase());
}

function refusal(code: string, message: string): CoderRefusal {
  return { ok: false, code, message };
}
