import { z } from 'zod';
import { findFiles, FIND_FILES_MAX_RESULTS, type FindFilesResult } from './find-files.ts';
import { listDir, type ListDirOptions, type ListDirResult } from './list-dir.ts';
import type { PathGuard } from './path-guard.ts';
import { readFile, type ReadFileOptions, type ReadFileResult } from './read-file.ts';
import { search, SEARCH_MAX_RESULTS, type SearchResult } from './search.ts';
import { toolError, type ToolError } from './tool-result.ts';

const pathField = z
  .string()
  .describe(
    'Path relative to the root, such as "src/index.ts"; an absolute path must be inside a root.',
  );
const rootField = z
  .string()
  .optional()
  .describe('Id of the root to use when there are several; the first root by default.');

/** Arguments of `read_file`, as a model sends them. */
export const ReadFileParams = z.object({
  path: pathField,
  root: rootField,
  startLine: z.number().int().min(1).optional().describe('First line, 1-based. Default 1.'),
  endLine: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Last line, inclusive. Default: end of file.'),
  lineNumbers: z
    .boolean()
    .optional()
    .describe('Prefix each line with "<number><tab>" (default true); false for the raw text.'),
});

/** Arguments of `list_dir`. */
export const ListDirParams = z.object({
  path: pathField.optional().describe('Directory relative to the root; the root when omitted.'),
  root: rootField,
});

/** Arguments of `search`. */
export const SearchParams = z.object({
  query: z
    .string()
    .min(1)
    .describe('Regular expression (Rust/ripgrep syntax), or text with literal.'),
  path: pathField.optional().describe('Directory or file to search; the whole root when omitted.'),
  root: rootField,
  glob: z
    .string()
    .min(1)
    .optional()
    .describe('Only files matching this glob, e.g. "*.ts" or "!*.test.ts".'),
  caseSensitive: z
    .boolean()
    .optional()
    .describe(
      'true: exact case; false: ignore case; omitted: ignore case unless the query has capitals.',
    ),
  literal: z.boolean().optional().describe('Treat query as plain text, not a regular expression.'),
  maxResults: z.number().int().min(1).max(SEARCH_MAX_RESULTS).optional().describe('Default 200.'),
});

/** Arguments of `find_files`. */
export const FindFilesParams = z.object({
  pattern: z
    .string()
    .min(1)
    .describe(
      'Glob relative to path, e.g. "**/*.test.ts" or "src/*.json"; without "/" it matches file names at any depth.',
    ),
  path: pathField.optional().describe('Directory to look in; the whole root when omitted.'),
  root: rootField,
  maxResults: z
    .number()
    .int()
    .min(1)
    .max(FIND_FILES_MAX_RESULTS)
    .optional()
    .describe('Default 500.'),
});

/** The read tools a chat can offer a model: name, description, and a zod schema of the arguments. */
export const readToolDefinitions = [
  {
    name: 'read_file',
    description:
      'Read a text file inside the project. Returns numbered lines; pass startLine/endLine for part of a long file. Output is capped at 256 KiB and says where to continue. Binary files are refused.',
    parameters: ReadFileParams,
  },
  {
    name: 'list_dir',
    description:
      'List one directory inside the project: names, types (file, dir, symlink) and file sizes, directories first. Not recursive; capped at 1000 entries.',
    parameters: ListDirParams,
  },
  {
    name: 'search',
    description:
      'Search file contents with ripgrep. Returns file, line number and line text for each match (at most 200 by default). Honours .gitignore and skips .git and node_modules.',
    parameters: SearchParams,
  },
  {
    name: 'find_files',
    description:
      'Find files whose path matches a glob, such as "**/*.ts". Returns paths relative to the root, sorted. Honours .gitignore and skips .git and node_modules.',
    parameters: FindFilesParams,
  },
] as const;

/** Name of one of the read tools. */
export type ReadToolName = (typeof readToolDefinitions)[number]['name'];

/** Caps and timeouts for {@link callReadTool}; every field has a default. */
export type ReadToolOptions = {
  readFile?: ReadFileOptions;
  listDir?: ListDirOptions;
  /** Timeout for `search` and `find_files`, in milliseconds. Default 20 s. */
  timeoutMs?: number;
  /** The ripgrep binary for `search` and `find_files`; default `/usr/bin/rg`. */
  rgPath?: string;
};

/** What any read tool answers. */
export type ReadToolResult = ReadFileResult | ListDirResult | SearchResult | FindFilesResult;

const handlers: {
  [K in ReadToolName]: (
    guard: PathGuard,
    args: unknown,
    opts: ReadToolOptions,
  ) => Promise<ReadToolResult>;
} = {
  read_file: (guard, args, opts) =>
    parsed(ReadFileParams, args, (a) => readFile(guard, a, opts.readFile)),
  list_dir: (guard, args, opts) =>
    parsed(ListDirParams, args, (a) => listDir(guard, a, opts.listDir)),
  search: (guard, args, opts) => parsed(SearchParams, args, (a) => search(guard, a, opts)),
  find_files: (guard, args, opts) =>
    parsed(FindFilesParams, args, (a) => findFiles(guard, a, opts)),
};

/**
 * Runs a read tool on arguments straight from a model: they are parsed here, at the boundary, and
 * an unknown tool or bad arguments come back as a `bad_args` result, never as a throw.
 */
export async function callReadTool(
  guard: PathGuard,
  name: string,
  args: unknown,
  opts: ReadToolOptions = {},
): Promise<ReadToolResult> {
  if (!Object.hasOwn(handlers, name)) {
    const names = readToolDefinitions.map((d) => d.name).join(', ');
    return toolError('bad_args', `There is no tool "${name}"; the read tools are ${names}.`);
  }
  return handlers[name as ReadToolName](guard, args, opts);
}

async function parsed<T, R>(
  schema: z.ZodType<T>,
  args: unknown,
  run: (args: T) => Promise<R>,
): Promise<R | ToolError> {
  const result = schema.safeParse(args);
  if (!result.success) {
    return toolError('bad_args', `Invalid arguments: ${z.prettifyError(result.error)}`);
  }
  return run(result.data);
}
