import { z } from 'zod';
import { AgentSession, ProviderId } from './agent.ts';
import { Id } from './chat.ts';
import { ChangeKind, DiffHunk } from './coder.ts';

/**
 * The Arena: one prompt sent at once to several agents (entrants) of a coder chat, each an
 * ordinary agent session in its own worktree whose changes stay there until one is picked; the
 * winner's become the chat's pending changes, the others end. REST under /api/coder/arenas.
 */

const Setting = z.string().min(1).max(300);
/** One entrant: a provider and, where it offers them, its mode, model and thinking level. */
export const ArenaEntrantBody = z.object({
  provider: ProviderId,
  mode: Setting.optional(),
  model: Setting.optional(),
  thinking: Setting.optional(),
});
export type ArenaEntrantBody = z.infer<typeof ArenaEntrantBody>;

export const StartArenaBody = z.object({
  chatId: Id,
  prompt: z.string().trim().min(1).max(100_000),
  entrants: z.array(ArenaEntrantBody).min(2).max(4),
});
export type StartArenaBody = z.infer<typeof StartArenaBody>;

/** One file an entrant changed in its worktree, against the state it started from. */
export const ArenaFile = z.object({
  /** Relative to the project. */
  path: z.string(),
  kind: ChangeKind,
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** Not text (binary, not UTF-8, too large): no line counts. */
  binary: z.boolean(),
});
export type ArenaFile = z.infer<typeof ArenaFile>;

export const ArenaEntrant = z.object({
  session: AgentSession,
  /** What the agent answered to the prompt (its message text). */
  text: z.string(),
  /** From the session's start to the end of its turn (done or failed); null while it runs. */
  durationMs: z.number().int().nonnegative().nullable(),
  /**
   * The files its worktree changed; null when they are not known (its worktree is gone without
   * a pick having kept them).
   */
  files: z.array(ArenaFile).nullable(),
});
export type ArenaEntrant = z.infer<typeof ArenaEntrant>;

export const Arena = z.object({
  id: Id,
  chatId: Id,
  projectId: Id,
  prompt: z.string(),
  /** The entrant picked; null before a pick (or once its session was deleted). */
  winnerSessionId: Id.nullable(),
  pickedAt: z.string().nullable(),
  createdAt: z.string(),
  /** In the order they were entered. */
  entrants: z.array(ArenaEntrant),
});
export type Arena = z.infer<typeof Arena>;

export const ArenaReply = z.object({ arena: Arena });
export type ArenaReply = z.infer<typeof ArenaReply>;
export const ArenaList = z.object({ arenas: z.array(Arena) });
export type ArenaList = z.infer<typeof ArenaList>;
export const ArenaParams = z.object({ arenaId: Id });
export const ArenaQuery = z.object({ chatId: Id });
export const PickBody = z.object({ sessionId: Id });
export type PickBody = z.infer<typeof PickBody>;
export const ArenaDiffParams = z.object({ arenaId: Id, sessionId: Id });

/** An entrant's worktree diff with its hunks (GET /api/coder/arenas/:id/diff/:sessionId). */
export const ArenaDiff = z.object({
  files: z.array(ArenaFile.extend({ hunks: z.array(DiffHunk) })),
});
export type ArenaDiff = z.infer<typeof ArenaDiff>;
