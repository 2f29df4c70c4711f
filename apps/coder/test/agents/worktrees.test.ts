import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '@boocode/testkit';
import { createWorktree, removeWorktree } from '../../src/agents/worktrees.ts';

let base: string;
beforeAll(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-worktrees-')));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
    cwd,
    encoding: 'utf8',
  });

async function repo(name: string, files: Record<string, string>): Promise<string> {
  const root = await makeGitRepo(path.join(base, name), files);
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'first');
  return root;
}

describe('createWorktree', () => {
  it("copies the user's uncommitted state whatever their diff settings, and runs no hook", async () => {
    const root = await repo('settings', { 'a.txt': 'a\n', 'bin.dat': 'x' });
    git(root, 'config', 'diff.noprefix', 'true');
    git(root, 'config', 'diff.mnemonicPrefix', 'true');
    await mkdir(path.join(root, 'hooks'));
    const hook = path.join(root, 'hooks', 'post-checkout');
    await writeFile(hook, `#!/bin/sh\ntouch "${path.join(base, 'hook-ran')}"\n`);
    await chmod(hook, 0o755);
    git(root, 'config', 'core.hooksPath', 'hooks');
    await writeFile(path.join(root, 'a.txt'), 'edited\n');
    await writeFile(path.join(root, 'bin.dat'), Buffer.from([0, 1, 2, 3]));

    const dest = path.join(base, 'wt-settings');
    const wt = await createWorktree(root, dest);
    expect(await readFile(path.join(dest, 'a.txt'), 'utf8')).toBe('edited\n');
    expect([...(await readFile(path.join(dest, 'bin.dat')))]).toEqual([0, 1, 2, 3]);
    expect(existsSync(path.join(base, 'hook-ran'))).toBe(false);
    // The baseline holds that state: nothing differs from it yet.
    expect(git(dest, 'status', '--porcelain')).toBe('');
    expect(wt.baseline).toBe(git(dest, 'rev-parse', 'HEAD^{tree}').trim());
  });

  it('refuses a repository without a commit, leaving nothing behind', async () => {
    const root = await makeGitRepo(path.join(base, 'empty'), { 'a.txt': 'a' });
    const dest = path.join(base, 'wt-empty');
    await expect(createWorktree(root, dest)).rejects.toThrow(/no commit yet/);
    expect(existsSync(dest)).toBe(false);
  });

  it('removeWorktree deletes the folder and git forgets it', async () => {
    const root = await repo('remove', { 'a.txt': 'a\n' });
    const dest = path.join(base, 'wt-remove');
    await createWorktree(root, dest);
    await writeFile(path.join(dest, 'dirty.txt'), 'agent left this');
    await removeWorktree(root, dest);
    expect(existsSync(dest)).toBe(false);
    expect(git(root, 'worktree', 'list')).not.toContain('wt-remove');
  });
});
