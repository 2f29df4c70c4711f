import {
  applyPending,
  getCheckpoint,
  MAX_PENDING,
  queueChange,
  rewindTo,
  type CoderRefusal,
  type Sql,
  type StoredChange,
  type StoredCheckpoint,
} from '@boocode/db';
import { Id, type Project } from '@boocode/protocol';
import { applyChanges, restoreFiles } from './apply-changes.ts';
import { createPathGuard, type PathGuard } from './path-guard.ts';
import { planChange, readState, resolveForWrite, stateOf, type ChangeRequest } from './pending.ts';

/** Queued: the stored change, and the pending change to the same file it builds on. */
export type Queued = { ok: true; change: StoredChange; onTopOf: string | null };
export type Applied = { ok: true; applied: string[]; checkpoint: StoredCheckpoint };
export type Rewound = { ok: true; rewound: string[]; restored: string[] };

/**
 * The pending-change queue of one project: its file side (this package) wired to its SQL side
 * (@boocode/db), so the server's write tools and the coder's REST routes run the same code.
 * Writes reach the project's own folder only, through a path guard over it; read grants never
 * extend to writes.
 */
export class ProjectChanges {
  private constructor(
    private readonly sql: Sql,
    readonly project: Pick<Project, 'id' | 'name' | 'path'>,
    readonly guard: PathGuard,
    private readonly maxPending: number,
  ) {}

  /**
   * The queue of `project`; null when its folder is gone (no guard can be made over it).
   * `maxPending`: pending changes one chat may hold (default MAX_PENDING).
   */
  static open(
    sql: Sql,
    project: Pick<Project, 'id' | 'name' | 'path'>,
    { maxPending = MAX_PENDING }: { maxPending?: number } = {},
  ): ProjectChanges | null {
    let guard: PathGuard;
    try {
      guard = createPathGuard([{ id: project.name, path: project.path }]);
    } catch {
      return null;
    }
    return new ProjectChanges(sql, project, guard, maxPending);
  }

  /** Queues a change for review, planned on the content the newest pending change leaves. */
  async queue(chatId: string | null, req: ChangeRequest): Promise<Queued | CoderRefusal> {
    const r = await resolveForWrite(this.guard, req.path);
    if (!r.ok) return r;
    return queueChange(
      this.sql,
      { projectId: this.project.id, chatId, path: r.rel },
      async (pending) => {
        const state = pending ? stateOf(pending.after) : await readState(r.abs, r.rel);
        return 'ok' in state ? state : planChange(req, r.rel, state);
      },
      this.maxPending,
    );
  }

  /** Applies the scope's pending changes (narrowed to `ids`) at once, all or nothing. */
  apply(scope: { chatId?: string }, ids: string[] | undefined): Promise<Applied | CoderRefusal> {
    return applyPending(
      this.sql,
      this.project.id,
      scope,
      ids,
      (items) => applyChanges(this.guard, items),
      (files, dirs) => restoreFiles(this.guard, files, dirs),
    );
  }

  /** Undoes a checkpoint of this project and every later one; `not_found` for any other id. */
  async rewind(checkpointId: string): Promise<Rewound | CoderRefusal> {
    // A model may pass any string: one that is not an id must not reach the SQL as one.
    const checkpoint = Id.safeParse(checkpointId).success
      ? await getCheckpoint(this.sql, checkpointId)
      : null;
    if (checkpoint?.projectId !== this.project.id) {
      return {
        ok: false,
        code: 'not_found',
        message: `There is no checkpoint ${checkpointId} in this project.`,
      };
    }
    return rewindTo(this.sql, checkpointId, (files, dirs) => restoreFiles(this.guard, files, dirs));
  }
}
