import { spawn } from 'node:child_process';

/** A git command that exited non-zero (or could not start); `stderr` is its tail. */
export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0] ?? ''} failed (${code ?? 'not started'}): ${stderr.trim().slice(-500)}`);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd: string;
  /** Bytes written to git's stdin. */
  input?: Buffer | string;
  /** Variables added to the environment (GIT_INDEX_FILE...). */
  env?: Record<string, string>;
}

/**
 * Runs git with `args`, never through a shell, and resolves with its stdout as bytes. Git never
 * asks for a password or opens an editor here, and the user's hooks and signing stay out of
 * the commits boocode makes for its own bookkeeping.
 */
export function git(args: string[], opts: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_EDITOR: 'true',
        GIT_OPTIONAL_LOCKS: '0',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err = (err + b.toString()).slice(-4000);
    });
    child.on('error', (e) => reject(new GitError(args, null, e.message)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(args, code, err));
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of it; 'close' says why
    child.stdin.end(opts.input ?? '');
  });
}

/** `git` whose stdout is text, trimmed. */
export async function gitText(args: string[], opts: GitOptions): Promise<string> {
  return (await git(args, opts)).toString('utf8').trim();
}

/** Options for commits boocode makes in its own worktrees. */
export const COMMIT_CONFIG = [
  '-c',
  'user.name=boocode',
  '-c',
  'user.email=boocode@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
];
