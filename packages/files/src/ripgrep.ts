import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { errnoCode, toolError, type ToolError } from './tool-result.ts';

/** Where the Debian `ripgrep` package installs rg; the tools take `rgPath` to use another. */
export const RG_PATH = '/usr/bin/rg';

/**
 * Flags every ripgrep run gets: ignore the user's config file (it could add `--follow`), never
 * follow symlinks (a link inside a root may point out), include dot files but never `.git`.
 */
export const RG_EXCLUDES = ['--glob=!.git', '--glob=!node_modules'];
export const RG_BASE_ARGS = ['--no-config', '--no-follow', '--hidden', ...RG_EXCLUDES];

export type RgRun = {
  /** Exit code: 0 found, 1 nothing found, 2 error; null when we stopped it or it timed out. */
  exitCode: number | null;
  stderr: string;
  /** We stopped reading because the caller had enough. */
  stopped: boolean;
  timedOut: boolean;
  /** The binary could not be started (not installed). */
  missing: boolean;
};

/**
 * Runs ripgrep without a shell and hands each stdout line to `onLine` until it returns false.
 * spawn rather than execFile: the output is read as it comes, so a huge result set is cut at the
 * cap instead of being buffered whole.
 */
export function runRipgrep(run: {
  rgPath: string;
  args: readonly string[];
  onLine: (line: string) => boolean;
  timeoutMs: number;
  /** The directory ripgrep runs in: its `--glob`s match paths relative to it. */
  cwd?: string;
}): Promise<RgRun> {
  const { rgPath, args, onLine, timeoutMs, cwd } = run;
  return new Promise((resolve) => {
    const child = spawn(rgPath, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let stderr = '';
    let stopped = false;
    let timedOut = false;
    let missing = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 4096) stderr += chunk;
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (stopped) return;
      if (!onLine(line)) {
        stopped = true;
        lines.close();
        child.kill('SIGKILL');
      }
    });
    child.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') missing = true;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: stopped || timedOut ? null : code, stderr, stopped, timedOut, missing });
    });
  });
}

/** A refusal when the place to search is missing, so ripgrep's own error never reaches a model. */
export async function missingTarget(abs: string, rel: string): Promise<ToolError | undefined> {
  try {
    await stat(abs);
    return undefined;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return toolError('not_found', `There is nothing at "${rel}".`);
    return toolError(
      'io_error',
      `Could not search "${rel}" (${errnoCode(err) ?? 'unknown error'}).`,
    );
  }
}

/** Turns a ripgrep run that produced nothing usable into a refusal; undefined when it is fine. */
export function rgFailure(run: RgRun, found: number): ToolError | undefined {
  if (run.missing) {
    return toolError('tool_unavailable', 'ripgrep (rg) is not installed on the server.');
  }
  if (run.timedOut && found === 0) {
    return toolError('io_error', 'The search timed out; narrow the path or the query.');
  }
  if (run.exitCode === 2 && found === 0) {
    const first = run.stderr.trim().split('\n').slice(0, 6).join('\n');
    if (/regex|glob/i.test(first)) return toolError('bad_args', first);
    return toolError('io_error', first || 'ripgrep failed.');
  }
  return undefined;
}
