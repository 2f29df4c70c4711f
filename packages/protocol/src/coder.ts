import { z } from 'zod';
import { Chat, Id } from './chat.ts';

/** BooCoder: the pending-changes queue, checkpoints and rewind (REST under /api/coder). */

export const ChangeKind = z.enum(['edit', 'create', 'delete']);
export type ChangeKind = z.infer<typeof ChangeKind>;
export const ChangeStatus = z.enum(['pending', 'applied', 'rejected']);
export type ChangeStatus = z.infer<typeof ChangeStatus>;

/** One hunk of a unified diff; each line starts with ' ', '-', '+' or '\' (no newline at end). */
export const DiffHunk = z.object({
  oldStart: z.number().int().nonnegative(),
  oldLines: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  newLines: z.number().int().nonnegative(),
  lines: z.array(z.string()),
});
export type DiffHunk = z.infer<typeof DiffHunk>;

/** A change a write tool queued, with its diff against the content it was computed on. */
export const PendingChange = z.object({
  id: Id,
  chatId: Id.nullable(),
  projectId: Id,
  /** Relative to the project root, forward slashes. */
  path: z.string(),
  kind: ChangeKind,
  status: ChangeStatus,
  /** sha256 of the file when the change was queued; null: the file did not exist. */
  baseHash: z.string().nullable(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  hunks: z.array(DiffHunk),
  checkpointId: Id.nullable(),
  createdAt: z.string(),
});
export type PendingChange = z.infer<typeof PendingChange>;

export const PendingList = z.object({ changes: z.array(PendingChange) });
export type PendingList = z.infer<typeof PendingList>;

/** Whose changes or checkpoints: a chat's, a whole project's, or both (the chat's in that project). */
export const ChangeScope = z.object({ chatId: Id.optional(), projectId: Id.optional() });
export type ChangeScope = z.infer<typeof ChangeScope>;
const scoped = (s: ChangeScope) => s.chatId !== undefined || s.projectId !== undefined;
const SCOPE_MESSAGE = 'give chatId or projectId';

export const PendingQuery = ChangeScope.extend({ status: ChangeStatus.default('pending') }).refine(
  scoped,
  SCOPE_MESSAGE,
);

/** Apply or reject: the changes `ids` of the scope, or every pending one when `ids` is left out. */
export const DecideBody = ChangeScope.extend({
  ids: z.array(Id).min(1).max(1000).optional(),
}).refine(scoped, SCOPE_MESSAGE);
export type DecideBody = z.infer<typeof DecideBody>;

/** What an apply did to one file. */
export const CheckpointChange = z.object({ path: z.string(), kind: ChangeKind });
export type CheckpointChange = z.infer<typeof CheckpointChange>;

/** An apply, with the prior state of what it touched: rewinding to it undoes it and all later ones. */
export const Checkpoint = z.object({
  id: Id,
  projectId: Id,
  chatId: Id.nullable(),
  createdAt: z.string(),
  summary: z.string(),
  changes: z.array(CheckpointChange),
  /** When a rewind undid it; null while its changes stand. */
  rewoundAt: z.string().nullable(),
});
export type Checkpoint = z.infer<typeof Checkpoint>;

export const ApplyResult = z.object({ applied: z.array(Id), checkpoint: Checkpoint });
export type ApplyResult = z.infer<typeof ApplyResult>;
export const RejectResult = z.object({ rejected: z.array(Id) });
export type RejectResult = z.infer<typeof RejectResult>;

export const CheckpointQuery = ChangeScope.refine(scoped, SCOPE_MESSAGE);
export const CheckpointList = z.object({ checkpoints: z.array(Checkpoint) });
export type CheckpointList = z.infer<typeof CheckpointList>;
export const CheckpointParams = z.object({ checkpointId: Id });

/** A rewind: the checkpoints it undid (newest first) and the files it put back. */
export const RewindResult = z.object({ rewound: z.array(Id), restored: z.array(z.string()) });
export type RewindResult = z.infer<typeof RewindResult>;

/** Opens a coder chat (a coder pane's own) on a project. */
export const CreateCoderChatBody = z.object({
  projectId: Id,
  model: z.string().min(1).max(300).optional(),
  title: z.string().trim().min(1).max(200).optional(),
});
export const CoderChatParams = z.object({ chatId: Id });
export const CoderSettingsBody = z.object({ autoApply: z.boolean() });
export const CoderChat = z.object({ chat: Chat });
export type CoderChat = z.infer<typeof CoderChat>;

/** The names of the write tools the model sees in a coder chat. */
export const WRITE_TOOL_NAMES = [
  'edit_file',
  'create_file',
  'delete_file',
  'apply_pending',
  'rewind',
] as const;
