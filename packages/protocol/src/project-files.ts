import { z } from 'zod';
import { Id } from './chat.ts';
import { PendingChange } from './coder.ts';

/**
 * A project's files for clients outside the browser (the `boocode` CLI and its MCP server):
 * read, search, and queue a whole-file write for review. Under /api/coder/projects/:projectId,
 * served by apps/coder through the project's path guard; a write never reaches the disk here,
 * it waits in the pending queue.
 */

const RelPath = z.string().min(1).max(4096);
const Line = z.coerce.number().int().min(1);

export const ProjectFileParams = z.object({ projectId: Id });

export const ReadFileQuery = z
  .object({ path: RelPath, startLine: Line.optional(), endLine: Line.optional() })
  .strict();
export type ReadFileQuery = z.infer<typeof ReadFileQuery>;

/** A text file's lines (numbered, `N\t` before each), capped with a note where to go on. */
export const FileContent = z.object({
  path: z.string(),
  content: z.string(),
  startLine: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  totalLines: z.number().int().nonnegative().nullable(),
  truncated: z.boolean(),
  note: z.string().nullable(),
});
export type FileContent = z.infer<typeof FileContent>;

export const SearchFilesQuery = z
  .object({
    /** A ripgrep regular expression. */
    query: z.string().min(1).max(1000),
    /** A folder or file of the project to search in; the whole project by default. */
    path: z.string().max(4096).optional(),
    glob: z.string().max(300).optional(),
    maxResults: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type SearchFilesQuery = z.infer<typeof SearchFilesQuery>;

export const SearchMatch = z.object({ path: z.string(), line: z.number().int(), text: z.string() });
export const SearchReply = z.object({
  matches: z.array(SearchMatch),
  truncated: z.boolean(),
  note: z.string().nullable(),
});
export type SearchReply = z.infer<typeof SearchReply>;

/** POST /api/coder/projects/:projectId/pending: a file's whole new content, queued for review. */
export const QueueWriteBody = z
  .object({
    path: RelPath,
    content: z.string().max(4 * 1024 * 1024),
    /** The coder chat to queue it under; none: the project's own queue. */
    chatId: Id.optional(),
  })
  .strict();
export type QueueWriteBody = z.infer<typeof QueueWriteBody>;

export const QueueWriteReply = z.object({
  change: PendingChange,
  /** The pending change to the same file this one builds on, if any. */
  onTopOf: Id.nullable(),
});
export type QueueWriteReply = z.infer<typeof QueueWriteReply>;
