import path from 'node:path';
import type { PathGuard } from './path-guard.ts';
import { isInside } from './path-guard.ts';
import { missingTarget, RG_BASE_ARGS, RG_PATH, rgFailure, runRipgrep } from './ripgrep.ts';
import { toolError, type ToolError } from './tool-result.ts';

/** Default and largest number of matches one `search` call returns. */
export const SEARCH_DEFAULT_RESULTS = 200;
export const SEARCH_MAX_RESULTS = 1000;
/** Matched lines longer than this are cut, so one minified file cannot fill the answer. */
export const SEARCH_LINE_CHARS = 300;
const DEFAULT_TIMEOUT_MS = 20_000;

export type SearchArgs = {
  /** A ripgrep (Rust) regular expression, or plain text with `literal`. */
  query: string;
  path?: string;
  root?: string;
  /** A ripgrep glob over file paths, e.g. `*.ts` or `!*.test.ts`. */
  glob?: string;
  /** true: exact case; false: ignore case; omitted: smart case (exact only if the query has capitals). */
  caseSensitive?: boolean;
  literal?: boolean;
  maxResults?: number;
};

export type SearchOptions = {
  /** Default 20 s; what was found by then is returned. */
  timeoutMs?: number;
  /** The ripgrep binary; default {@link RG_PATH}. */
  rgPath?: string;
};

export type SearchMatch = {
  /** Relative to the root, with forward slashes. */
  path: string;
  line: number;
  text: string;
};

export type SearchResult =
  { ok: true; matches: SearchMatch[]; truncated: boolean; note?: string } | ToolError;

/**
 * `search`: ripgrep over a directory (or file) inside a root, JSON output parsed as it streams,
 * cut at `maxResults`. Symlinks are never followed, `.git` and `node_modules` are skipped, and
 * `.gitignore` is honoured; no user text is ever placed where ripgrep would read it as a flag.
 */
export async function search(
  guard: PathGuard,
  args: SearchArgs,
  opts: SearchOptions = {},
): Promise<SearchResult> {
  const max = Math.min(args.maxResults ?? SEARCH_DEFAULT_RESULTS, SEARCH_MAX_RESULTS);
  if (!Number.isInteger(max) || max < 1) {
    return toolError('bad_args', 'maxResults must be a whole number, 1 or more.');
  }
  if (args.query === '') return toolError('bad_args', 'query must not be empty.');
  const resolved = await guard.resolve(args.path ?? '', { root: args.root });
  if (!resolved.ok) return resolved;
  const missing = await missingTarget(resolved.abs, resolved.rel);
  if (missing) return missing;

  const rgArgs = [
    ...RG_BASE_ARGS,
    '--json',
    // One thread but a stable order: the same question gives the same capped answer.
    '--sort=path',
    args.caseSensitive === undefined
      ? '--smart-case'
      : args.caseSensitive
        ? '--case-sensitive'
        : '--ignore-case',
    ...(args.literal ? ['--fixed-strings'] : []),
    ...(args.glob ? [`--glob=${args.glob}`] : []),
    `--regexp=${args.query}`,
    '--',
    resolved.abs,
  ];

  const matches: SearchMatch[] = [];
  let truncated = false;
  const run = await runRipgrep({
    rgPath: opts.rgPath ?? RG_PATH,
    args: rgArgs,
    onLine: (line) => {
      const match = parseMatch(line);
      if (!match) return true;
      // rg was not asked to follow links, so this never drops anything; it is the last word.
      if (!isInside(resolved.abs, match.file)) return true;
      if (matches.length === max) {
        truncated = true;
        return false;
      }
      const relToSearch = path.relative(resolved.abs, match.file);
      matches.push({
        path: path.join(resolved.rel, relToSearch),
        line: match.line,
        text:
          match.text.length > SEARCH_LINE_CHARS
            ? `${match.text.slice(0, SEARCH_LINE_CHARS)}…`
            : match.text,
      });
      return true;
    },
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });

  const failure = rgFailure(run, matches.length);
  if (failure) return failure;
  const note = truncated
    ? `Stopped at ${max} matches; narrow the query, path or glob to see the rest.`
    : run.timedOut
      ? 'The search timed out; these are the matches found so far.'
      : undefined;
  return { ok: true, matches, truncated: truncated || run.timedOut, ...(note && { note }) };
}

type RgMatch = { file: string; line: number; text: string };

function parseMatch(line: string): RgMatch | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(msg) || msg.type !== 'match' || !isRecord(msg.data)) return undefined;
  const file = rgText(msg.data.path);
  const text = rgText(msg.data.lines);
  const lineNo = msg.data.line_number;
  if (file === undefined || text === undefined || typeof lineNo !== 'number') return undefined;
  return { file, line: lineNo, text: text.replace(/\r?\n$/, '') };
}

// ripgrep writes valid UTF-8 as {text} and anything else as base64 {bytes}.
function rgText(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  if (typeof value.text === 'string') return value.text;
  if (typeof value.bytes === 'string') return Buffer.from(value.bytes, 'base64').toString('utf8');
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
