import path from 'node:path';
import type { PathGuard } from './path-guard.ts';
import { isInside } from './path-guard.ts';
import {
  missingTarget,
  RG_BASE_ARGS,
  RG_EXCLUDES,
  RG_PATH,
  rgFailure,
  runRipgrep,
} from './ripgrep.ts';
import { toolError, type ToolError } from './tool-result.ts';

/** Default and largest number of paths one `find_files` call returns. */
export const FIND_FILES_DEFAULT_RESULTS = 500;
export const FIND_FILES_MAX_RESULTS = 5000;
const DEFAULT_TIMEOUT_MS = 20_000;

export type FindFilesArgs = {
  /** A glob relative to `path`, like `*.ts`, `src/*.json` or `src/**`; without a `/` it matches file names at any depth. */
  pattern: string;
  path?: string;
  root?: string;
  maxResults?: number;
};

export type FindFilesOptions = {
  /** Default 20 s; what was found by then is returned. */
  timeoutMs?: number;
  /** The ripgrep binary; default {@link RG_PATH}. */
  rgPath?: string;
};

export type FindFilesResult =
  { ok: true; files: string[]; truncated: boolean; note?: string } | ToolError;

/**
 * `find_files`: files under a directory inside a root whose path matches a glob, sorted, capped.
 * ripgrep lists the files (honouring `.gitignore`, skipping `.git` and `node_modules`, never
 * following symlinks) and matches them with its own `--glob`, relative to the directory it runs
 * in; paths come back relative to the root. Matching stays in ripgrep, whose globs compile to a
 * regex without backtracking: a glob matched in JavaScript (`*a*a*a…c`) could hold the event loop
 * for minutes.
 */
export async function findFiles(
  guard: PathGuard,
  args: FindFilesArgs,
  opts: FindFilesOptions = {},
): Promise<FindFilesResult> {
  const max = Math.min(args.maxResults ?? FIND_FILES_DEFAULT_RESULTS, FIND_FILES_MAX_RESULTS);
  if (!Number.isInteger(max) || max < 1) {
    return toolError('bad_args', 'maxResults must be a whole number, 1 or more.');
  }
  const pattern = args.pattern.replace(/^(\.\/)+/, '');
  if (pattern === '') return toolError('bad_args', 'pattern must not be empty.');
  if (pattern.startsWith('/')) {
    return toolError('bad_args', 'pattern is relative to path; drop the leading "/".');
  }
  const resolved = await guard.resolve(args.path ?? '', { root: args.root });
  if (!resolved.ok) return resolved;
  const missing = await missingTarget(resolved.abs, resolved.rel);
  if (missing) return missing;

  const rgPath = opts.rgPath ?? RG_PATH;
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // ripgrep's --glob overrides .gitignore: a file it matches is listed even when ignored. So
  // the files a plain listing gives (ignores honoured) are taken first, and the glob's matches
  // are kept only when among them.
  const listed = new Set<string>();
  const listing = await runRipgrep({
    rgPath,
    args: [...RG_BASE_ARGS, '--files', '--', resolved.abs],
    onLine: (line) => (listed.add(line), true),
    timeoutMs: deadline - Date.now(),
  });
  const listFailure = rgFailure(listing, listed.size);
  if (listFailure) return listFailure;

  const files: string[] = [];
  let truncated = false;
  const run = await runRipgrep({
    rgPath,
    // The glob matches the path relative to ripgrep's working directory (without "/", file
    // names at any depth, as in .gitignore); the exclusions come after it, as the last glob
    // that matches wins.
    args: [
      '--no-config',
      '--no-follow',
      '--hidden',
      '--files',
      '--sort=path',
      `--glob=${pattern}`,
      ...RG_EXCLUDES,
      '--',
      resolved.abs,
    ],
    cwd: resolved.abs,
    onLine: (line) => {
      if (!listed.has(line) || !isInside(resolved.abs, line)) return true;
      if (files.length === max) {
        truncated = true;
        return false;
      }
      files.push(path.join(resolved.rel, path.relative(resolved.abs, line)));
      return true;
    },
    timeoutMs: Math.max(1, deadline - Date.now()),
  });
  const failure = rgFailure(run, files.length);
  if (failure?.code === 'bad_args') {
    return toolError('bad_args', `Invalid glob "${pattern}": ${failure.message}`);
  }
  if (failure) return failure;
  const timedOut = listing.timedOut || run.timedOut;
  const note = truncated
    ? `Stopped at ${max} files; narrow the pattern or path to see the rest.`
    : timedOut
      ? 'Listing timed out; these are the files found so far.'
      : undefined;
  return { ok: true, files, truncated: truncated || timedOut, ...(note && { note }) };
}
