import path from 'node:path';
import picomatch from 'picomatch';
import type { PathGuard } from './path-guard.ts';
import { isInside } from './path-guard.ts';
import { missingTarget, RG_BASE_ARGS, RG_PATH, rgFailure, runRipgrep } from './ripgrep.ts';
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
 * following symlinks) and picomatch matches them; paths come back relative to the root.
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
  let matches: (file: string) => boolean;
  try {
    // picomatch's own `basename` option also applies to patterns with a slash, so choose here.
    const isMatch = picomatch(pattern, { dot: true });
    matches = pattern.includes('/') ? isMatch : (file) => isMatch(path.basename(file));
  } catch (err) {
    return toolError('bad_args', `Invalid glob "${pattern}": ${(err as Error).message}`);
  }
  const resolved = await guard.resolve(args.path ?? '', { root: args.root });
  if (!resolved.ok) return resolved;
  const missing = await missingTarget(resolved.abs, resolved.rel);
  if (missing) return missing;

  const files: string[] = [];
  let truncated = false;
  const run = await runRipgrep(
    opts.rgPath ?? RG_PATH,
    [...RG_BASE_ARGS, '--files', '--sort=path', '--', resolved.abs],
    (line) => {
      if (!isInside(resolved.abs, line)) return true;
      const relToSearch = path.relative(resolved.abs, line);
      if (!matches(relToSearch)) return true;
      if (files.length === max) {
        truncated = true;
        return false;
      }
      files.push(path.join(resolved.rel, relToSearch));
      return true;
    },
    opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  );

  const failure = rgFailure(run, files.length);
  if (failure) return failure;
  const note = truncated
    ? `Stopped at ${max} files; narrow the pattern or path to see the rest.`
    : run.timedOut
      ? 'Listing timed out; these are the files found so far.'
      : undefined;
  return { ok: true, files, truncated: truncated || run.timedOut, ...(note && { note }) };
}
