import { execFileSync } from 'node:child_process';
import { chmod, readdir, readFile, readlink, lstat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import {
  applyChanges,
  contentHash,
  createPathGuard,
  planChange,
  readState,
  resolveForWrite,
  restoreFiles,
  stateOf,
  type ChangeRequest,
  type FileState,
  type PathGuard,
} from '../src/index.ts';
import type { ApplyItem, PlannedChange, PriorFile } from '@boocode/protocol';
import { tempRepo, writeTree, SECRET } from './temp-dirs.ts';

/** Every entry under `dir`, symlinks not followed: file contents, "dir", or "-> target". */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const name of await readdir(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(dir, r);
      const st = await lstat(abs);
      if (st.isSymbolicLink()) out[r] = `-> ${await readlink(abs)}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        if (name !== '.git') await walk(r);
      } else out[r] = `${(st.mode & 0o777).toString(8)} ${await readFile(abs, 'utf8')}`;
    }
  };
  await walk('');
  return out;
}

/** Plans a change against the file on disk, or against `on` (an earlier pending change). */
async function plan(guard: PathGuard, req: ChangeRequest, on?: PlannedChange) {
  const r = await resolveForWrite(guard, req.path);
  if (!r.ok) throw new Error(r.message);
  const state: FileState = on ? stateOf(on.after) : ((await readState(r.abs, r.rel)) as FileState);
  const planned = planChange(req, r.rel, state);
  if (!planned.ok) throw new Error(planned.message);
  return planned.change;
}

let n = 0;
const item = (c: PlannedChange): ApplyItem => ({
  id: `c${++n}`,
  path: c.path,
  baseHash: c.baseHash,
  after: c.after,
});

const immutable: string[] = [];
const lockedDirs: string[] = [];
afterEach(async () => {
  for (const f of immutable.splice(0)) execFileSync('chattr', ['-i', f]);
  for (const d of lockedDirs.splice(0)) await chmod(d, 0o755);
});

/** Makes a file that cannot be replaced: immutable as root (who ignores modes), else in a read-only dir. */
async function makeReadOnly(file: string): Promise<void> {
  if (process.getuid?.() === 0) {
    execFileSync('chattr', ['+i', file]);
    immutable.push(file);
  } else {
    await chmod(path.dirname(file), 0o555);
    lockedDirs.push(path.dirname(file));
  }
}

async function repo() {
  const r = await tempRepo();
  await writeTree(r.root, { 'a.txt': 'one\ntwo\nthree\n', 'lib/b.txt': 'bee\n' });
  return { ...r, guard: createPathGuard([{ id: 'repo', path: r.root }]) };
}

describe('planChange', () => {
  test('an edit replaces the one exact occurrence of old_string', () => {
    const r = planChange({ kind: 'edit', path: 'a', oldString: 'two', newString: '2' }, 'a', {
      exists: true,
      content: 'one\ntwo\n',
    });
    expect(r.ok && r.change.after).toBe('one\n2\n');
    expect(r.ok && r.change.baseHash).toBe(contentHash('one\ntwo\n'));
  });

  test('an edit whose old_string is absent is refused', () => {
    const r = planChange({ kind: 'edit', path: 'a', oldString: 'zzz', newString: 'y' }, 'a', {
      exists: true,
      content: 'one\n',
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/not found/);
  });

  test('an edit whose old_string is not unique is refused with the count', () => {
    const r = planChange({ kind: 'edit', path: 'a', oldString: 'o', newString: '0' }, 'a', {
      exists: true,
      content: 'foo boo\n',
    });
    expect(!r.ok && r.message).toMatch(/occurs 4 times/);
  });

  test('create refuses an existing file and delete a missing one', () => {
    const create = planChange({ kind: 'create', path: 'a', content: 'x' }, 'a', {
      exists: true,
      content: '',
    });
    const del = planChange({ kind: 'delete', path: 'a' }, 'a', { exists: false });
    expect(create.ok).toBe(false);
    expect(del.ok).toBe(false);
  });
});

describe('resolveForWrite', () => {
  test('refuses symlinks out, climbing out and anything in .git', async () => {
    const { guard } = await repo();
    for (const p of ['leak.txt', 'leakdir/new.txt', '../outside/x', '.git/hooks/pre-commit', '.']) {
      const r = await resolveForWrite(guard, p);
      expect(r.ok, p).toBe(false);
    }
    expect((await resolveForWrite(guard, 'src/new/file.ts')).ok).toBe(true);
  });

  test('refuses .git in any case, as a case-insensitive disk reads it', async () => {
    const { guard } = await repo();
    for (const p of ['.GIT/hooks/pre-commit', '.Git/config', 'sub/.gIt/HEAD']) {
      expect(await resolveForWrite(guard, p), p).toMatchObject({ ok: false, code: 'denied' });
    }
  });

  test('refuses the folder git runs hooks from (core.hooksPath), and only it', async () => {
    const { root, guard } = await repo();
    expect((await resolveForWrite(guard, '.husky/pre-commit')).ok).toBe(true);
    execFileSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: root });
    for (const p of ['.husky/pre-commit', '.HUSKY/pre-push', '.husky/_/h']) {
      expect(await resolveForWrite(guard, p), p).toMatchObject({ ok: false, code: 'denied' });
    }
    expect((await resolveForWrite(guard, '.husky-notes.md')).ok).toBe(true);
  });
});

describe('applyChanges', () => {
  test('a set of edit, create and delete lands, and the prior states are returned', async () => {
    const { root, guard } = await repo();
    const changes = [
      await plan(guard, { kind: 'edit', path: 'a.txt', oldString: 'two', newString: 'TWO' }),
      await plan(guard, { kind: 'create', path: 'new/deep/c.txt', content: 'sea\n' }),
      await plan(guard, { kind: 'delete', path: 'lib/b.txt' }),
    ];
    const r = await applyChanges(guard, changes.map(item));
    expect(r.ok).toBe(true);
    const snap = await snapshot(root);
    expect(snap['a.txt']).toBe('644 one\nTWO\nthree\n');
    expect(snap['new/deep/c.txt']).toBe('644 sea\n');
    expect(snap['lib/b.txt']).toBeUndefined();
    expect(r.ok && r.prior.map((p) => [p.path, p.existed, p.content])).toEqual([
      ['a.txt', true, 'one\ntwo\nthree\n'],
      ['new/deep/c.txt', false, null],
      ['lib/b.txt', true, 'bee\n'],
    ]);
    expect(r.ok && r.createdDirs).toEqual(['new', 'new/deep']);
  });

  test('a file changed on disk since it was queued is refused and nothing is written', async () => {
    const { root, guard } = await repo();
    const changes = [
      await plan(guard, { kind: 'create', path: 'fresh.txt', content: 'x\n' }),
      await plan(guard, { kind: 'edit', path: 'a.txt', oldString: 'two', newString: 'TWO' }),
    ];
    await writeFile(path.join(root, 'a.txt'), 'one\ntwo\nthree\nfour\n');
    const before = await snapshot(root);
    const r = await applyChanges(guard, changes.map(item));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('conflict');
    expect(!r.ok && r.message).toMatch(/"a\.txt" changed on disk since the change was queued/);
    expect(await snapshot(root)).toEqual(before);
  });

  test('a read-only file in the set: the files already written are restored', async () => {
    const { root, guard } = await repo();
    await writeTree(root, { 'z/locked.txt': 'locked\n' });
    const changes = [
      await plan(guard, { kind: 'edit', path: 'a.txt', oldString: 'one', newString: 'ONE' }),
      await plan(guard, { kind: 'create', path: 'brand/new.txt', content: 'new\n' }),
      await plan(guard, { kind: 'delete', path: 'lib/b.txt' }),
      await plan(guard, {
        kind: 'edit',
        path: 'z/locked.txt',
        oldString: 'locked',
        newString: 'x',
      }),
    ];
    await makeReadOnly(path.join(root, 'z/locked.txt'));
    const before = await snapshot(root);
    const r = await applyChanges(guard, changes.map(item));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.code).toBe('io_error');
    expect(!r.ok && r.message).toMatch(/"z\/locked\.txt".*files already written were restored/);
    // Same contents, same modes, no temp files, no new directories.
    expect(await snapshot(root)).toEqual(before);
  });

  test('an injected failure half-way restores what was written, created files included', async () => {
    const { root, guard } = await repo();
    await chmod(path.join(root, 'a.txt'), 0o600);
    const changes = [
      await plan(guard, { kind: 'edit', path: 'a.txt', oldString: 'one', newString: 'ONE' }),
      await plan(guard, { kind: 'create', path: 'n/m.txt', content: 'new\n' }),
      await plan(guard, { kind: 'delete', path: 'lib/b.txt' }),
      await plan(guard, { kind: 'create', path: 'last.txt', content: 'last\n' }),
    ];
    const before = await snapshot(root);
    let renames = 0;
    const r = await applyChanges(guard, changes.map(item), {
      io: {
        rename: async (from, to) => {
          if (to.endsWith('last.txt')) throw Object.assign(new Error('boom'), { code: 'EIO' });
          renames += 1;
          const { rename } = await import('node:fs/promises');
          await rename(from, to);
        },
      },
    });
    expect(r.ok).toBe(false);
    expect(renames).toBeGreaterThanOrEqual(2);
    expect(await snapshot(root)).toEqual(before);
  });

  test('refuses to write through a folder swapped for a symlink out after the guard checked it', async () => {
    const { rename, symlink, mkdir, writeFile: write } = await import('node:fs/promises');
    // What another process could do between the guard's check and the write.
    const swapper = (root: string, outside: string) => {
      let swapped = false;
      return async () => {
        if (swapped) return;
        swapped = true;
        await rename(path.join(root, 'lib'), path.join(root, 'lib-moved'));
        await symlink(outside, path.join(root, 'lib'));
      };
    };

    // Swapped before the new content is written beside its target.
    {
      const { root, outside, guard } = await repo();
      const changes = [
        await plan(guard, { kind: 'edit', path: 'lib/b.txt', oldString: 'bee', newString: 'B' }),
        await plan(guard, { kind: 'create', path: 'lib/c.txt', content: 'sea\n' }),
      ];
      const outsideBefore = await snapshot(outside);
      const swap = swapper(root, outside);
      const r = await applyChanges(guard, changes.map(item), {
        io: {
          mkdir: async (d, o) => {
            const made = await mkdir(d, o);
            await swap();
            return made;
          },
        },
      });
      expect(r).toMatchObject({ ok: false, code: 'denied' });
      expect(await snapshot(outside)).toEqual(outsideBefore);
      expect(await readFile(path.join(root, 'lib-moved', 'b.txt'), 'utf8')).toBe('bee\n');
    }

    // Swapped before a delete: the file of the same name outside stays.
    {
      const { root, outside, guard } = await repo();
      await write(path.join(outside, 'b.txt'), 'not yours\n');
      const changes = [
        await plan(guard, { kind: 'create', path: 'z.txt', content: 'zed\n' }),
        await plan(guard, { kind: 'delete', path: 'lib/b.txt' }),
      ];
      const swap = swapper(root, outside);
      const r = await applyChanges(guard, changes.map(item), {
        io: {
          writeFile: async (f, d, o) => {
            await write(f, d, o);
            await swap();
          },
        },
      });
      expect(r).toMatchObject({ ok: false, code: 'denied' });
      expect(await readFile(path.join(outside, 'b.txt'), 'utf8')).toBe('not yours\n');
      expect(await readFile(path.join(root, 'lib-moved', 'b.txt'), 'utf8')).toBe('bee\n');
    }
  });

  test('several edits queued on the same file apply in order, and the later one alone is refused', async () => {
    const { root, guard } = await repo();
    const first = await plan(guard, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'one',
      newString: 'uno',
    });
    const second = await plan(
      guard,
      { kind: 'edit', path: 'a.txt', oldString: 'three', newString: 'tres' },
      first,
    );
    const alone = await applyChanges(guard, [item(second)]);
    expect(!alone.ok && alone.code).toBe('conflict');
    const out = [item(second), item(first)];
    const swapped = await applyChanges(guard, out);
    expect(!swapped.ok && swapped.code).toBe('conflict');
    const r = await applyChanges(guard, [item(first), item(second)]);
    expect(r.ok).toBe(true);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('uno\ntwo\ntres\n');
  });

  test('a symlink swapped in after queueing is not written through', async () => {
    const { root, outside, guard } = await repo();
    const c = await plan(guard, { kind: 'create', path: 'sneaky.txt', content: 'x\n' });
    const { symlink } = await import('node:fs/promises');
    await symlink('../outside/secret.txt', path.join(root, 'sneaky.txt'));
    const r = await applyChanges(guard, [item(c)]);
    expect(r.ok).toBe(false);
    expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe(`${SECRET}\n`);
  });
});

describe('restoreFiles (rewind)', () => {
  test('after several applies, rewinding to each point restores the tree exactly', async () => {
    const { root, guard } = await repo();
    const states = [await snapshot(root)];
    const checkpoints: { prior: PriorFile[]; createdDirs: string[] }[] = [];
    const sets: ChangeRequest[][] = [
      [{ kind: 'edit', path: 'a.txt', oldString: 'two', newString: 'deux' }],
      [
        { kind: 'create', path: 'pkg/sub/new.ts', content: 'export {};\n' },
        { kind: 'delete', path: 'lib/b.txt' },
      ],
      [
        { kind: 'edit', path: 'a.txt', oldString: 'deux', newString: 'zwei' },
        { kind: 'delete', path: 'pkg/sub/new.ts' },
        { kind: 'create', path: 'lib/b.txt', content: 'reborn\n' },
      ],
    ];
    for (const set of sets) {
      const changes = [];
      for (const req of set) changes.push(await plan(guard, req));
      const r = await applyChanges(guard, changes.map(item));
      if (!r.ok) throw new Error(r.message);
      checkpoints.push(r);
      states.push(await snapshot(root));
    }
    expect(states[3]!['a.txt']).toBe('644 one\nzwei\nthree\n');

    // Rewind to checkpoint k = undo checkpoints k..newest: the oldest prior of each file wins.
    const rewindTo = async (k: number) => {
      const merged = new Map<string, PriorFile>();
      const dirs = new Set<string>();
      for (let i = checkpoints.length - 1; i >= k; i--) {
        for (const p of checkpoints[i]!.prior) merged.set(p.path, p);
        for (const d of checkpoints[i]!.createdDirs) dirs.add(d);
      }
      const r = await restoreFiles(guard, [...merged.values()], [...dirs]);
      if (!r.ok) throw new Error(r.message);
    };
    await rewindTo(2);
    expect(await snapshot(root)).toEqual(states[2]);
    await rewindTo(0);
    expect(await snapshot(root)).toEqual(states[0]);
  });

  test('rewind restores a file mode and leaves a directory the user filled', async () => {
    const { root, guard } = await repo();
    await chmod(path.join(root, 'a.txt'), 0o755);
    const c1 = await plan(guard, { kind: 'delete', path: 'a.txt' });
    const c2 = await plan(guard, { kind: 'create', path: 'd/x.txt', content: 'x' });
    const r = await applyChanges(guard, [item(c1), item(c2)]);
    if (!r.ok) throw new Error(r.message);
    await writeFile(path.join(root, 'd/mine.txt'), 'mine');
    const back = await restoreFiles(guard, r.prior, r.createdDirs);
    expect(back.ok).toBe(true);
    const snap = await snapshot(root);
    expect(snap['a.txt']).toBe('755 one\ntwo\nthree\n');
    expect(snap['d/x.txt']).toBeUndefined();
    expect(snap['d/mine.txt']).toBe('644 mine');
  });
});
