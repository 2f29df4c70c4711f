import { chmod, copyFile, lstat, mkdir, readlink, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@boocode/protocol';
import { COMMIT_CONFIG, git, gitText } from './git.ts';

/** A session's worktree: where the agent works and what its changes are measured against. */
export interface Worktree {
  /** The worktree's root (a checkout of the whole repository). */
  root: string;
  /** The project inside it: the agent's cwd (`root` unless the project is a subfolder). */
  cwd: string;
  /** The project's folder relative to the repository's top, `''` or ending in `/`. */
  prefix: string;
  /** The tree of the baseline commit: the user's state when the session started. */
  baseline: string;
}

/** A title with the worktree's paths made relative: `Write price.txt`, not its absolute path. */
export function shortPaths(title: string, cwd: string): string {
  const dir = cwd.replace(/\/+$/, '');
  return title.replaceAll(`${dir}/`, '').replaceAll(dir, '.');
}

/** The repository a project's folder is in; a 409 when it is in none or has no commit. */
async function repositoryOf(projectPath: string): Promise<{ top: string; prefix: string }> {
  let top: string;
  let prefix: string;
  try {
    top = await gitText(['rev-parse', '--show-toplevel'], { cwd: projectPath });
    prefix = await gitText(['rev-parse', '--show-prefix'], { cwd: projectPath });
  } catch {
    throw new AppError(
      'conflict',
      `The project folder ${projectPath} is not in a git repository; an agent session works in a git worktree of it.`,
    );
  }
  try {
    await gitText(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: top });
  } catch {
    throw new AppError(
      'conflict',
      `The git repository at ${top} has no commit yet; make one before starting an agent session.`,
    );
  }
  return { top, prefix };
}

/**
 * Makes `dest` a detached worktree of the project's repository at HEAD, with the user's
 * uncommitted state copied in (tracked changes as a patch, untracked files that are not
 * ignored), committed as a baseline: what the agent changes is what differs from it.
 */
export async function createWorktree(projectPath: string, dest: string): Promise<Worktree> {
  const { top, prefix } = await repositoryOf(projectPath);
  await mkdir(path.dirname(dest), { recursive: true });
  // No hook of the repository runs for boocode's own checkout (a post-checkout installing...).
  await git(['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--detach', '--quiet', dest], {
    cwd: top,
  });
  try {
    // Prefixes spelled out: a user's diff.noPrefix or diff.mnemonicPrefix would break the apply.
    const patch = await git(
      [
        'diff',
        'HEAD',
        '--binary',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        '--ignore-submodules',
        '--src-prefix=a/',
        '--dst-prefix=b/',
      ],
      { cwd: top },
    );
    if (patch.length > 0) await git(['apply', '--whitespace=nowarn'], { cwd: dest, input: patch });
    await copyUntracked(top, dest);
    await git(['add', '-A'], { cwd: dest });
    await git([...COMMIT_CONFIG, 'commit', '--allow-empty', '--no-verify', '-qm', 'baseline'], {
      cwd: dest,
    });
    const baseline = await gitText(['rev-parse', 'HEAD^{tree}'], { cwd: dest });
    return { root: dest, cwd: path.join(dest, prefix), prefix, baseline };
  } catch (err) {
    await removeWorktree(projectPath, dest);
    throw err;
  }
}

/**
 * A session's worktree found again after a restart (a resumed session works on in it); a 409
 * when it is gone.
 */
export async function openWorktree(projectPath: string, root: string): Promise<Worktree> {
  const { prefix } = await repositoryOf(projectPath);
  const top = await gitText(['rev-parse', '--show-toplevel'], { cwd: root }).catch(() => null);
  if (top !== root) {
    throw new AppError('conflict', `This session's worktree ${root} is gone; start a new one.`);
  }
  const baseline = await gitText(['rev-parse', 'HEAD^{tree}'], { cwd: root });
  return { root, cwd: path.join(root, prefix), prefix, baseline };
}

/** Copies the untracked, not ignored files of `top` into `dest`; links stay links. */
async function copyUntracked(top: string, dest: string): Promise<void> {
  const listed = await git(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: top });
  const names = listed
    .toString('utf8')
    .split('\0')
    .filter((n) => n !== '' && !n.endsWith('/')); // a nested repository is listed as "dir/"
  for (const name of names) {
    const from = path.join(top, name);
    const to = path.join(dest, name);
    const st = await lstat(from).catch(() => null);
    if (!st) continue; // gone since it was listed
    await mkdir(path.dirname(to), { recursive: true });
    if (st.isSymbolicLink()) {
      await symlink(await readlink(from), to);
    } else if (st.isFile()) {
      await copyFile(from, to);
      await chmod(to, st.mode & 0o777);
    }
  }
}

/** Removes a session's worktree and git's record of it; what git cannot remove is deleted. */
export async function removeWorktree(projectPath: string, dest: string): Promise<void> {
  const top = await gitText(['rev-parse', '--show-toplevel'], { cwd: projectPath }).catch(
    () => null,
  );
  if (top) await git(['worktree', 'remove', '--force', dest], { cwd: top }).catch(() => {});
  await rm(dest, { recursive: true, force: true });
  if (top) await git(['worktree', 'prune'], { cwd: top }).catch(() => {});
}
