import { z } from 'zod';
import { ChangeKind } from './coder.ts';

// The pending-change queue has a file side (@boocode/files: the guard, plans, atomic writes) and
// a SQL side (@boocode/db: the queue, checkpoints, the project lock). These are the shapes the
// two pass each other, declared once here because protocol is the one package both import.
// They are not sent to the browser; a checkpoint's `files` are stored as JSON in PostgreSQL.

/** A change checked against the content it will replace, ready to be queued. */
export const PlannedChange = z.object({
  kind: ChangeKind,
  /** Relative to the root's real path, forward slashes (the guard's `rel`). */
  path: z.string(),
  /** The content the change was computed on; null: the file did not exist. */
  before: z.string().nullable(),
  /** The content after it; null: the file is deleted. */
  after: z.string().nullable(),
  /** sha256 of `before` (hex); null when the file did not exist. */
  baseHash: z.string().nullable(),
  oldString: z.string().nullable(),
  newString: z.string().nullable(),
});
export type PlannedChange = z.infer<typeof PlannedChange>;

/** One queued change as an apply needs it. Several for one path must be in queue order. */
export const ApplyItem = z.object({
  id: z.string(),
  /** Relative to the root (the guard's `rel`). */
  path: z.string(),
  baseHash: z.string().nullable(),
  /** The content after the change; null deletes the file. */
  after: z.string().nullable(),
});
export type ApplyItem = z.infer<typeof ApplyItem>;

/** A file as it was before an apply (or a rewind): what a checkpoint keeps to restore it. */
export const PriorFile = z.object({
  path: z.string(),
  existed: z.boolean(),
  content: z.string().nullable(),
  /** Permission bits of the file, when it existed. */
  mode: z.number().int().nullable(),
});
export type PriorFile = z.infer<typeof PriorFile>;

/** What an apply or a rewind did on disk: the prior state of every file it touched. */
export const WriteSetDone = z.object({
  ok: z.literal(true),
  prior: z.array(PriorFile),
  /** Directories it created (relative to the root), deepest last. */
  createdDirs: z.array(z.string()),
});
export type WriteSetDone = z.infer<typeof WriteSetDone>;
