import { describe, expect, test } from 'vitest';
import { listDir } from '../src/list-dir.ts';
import { createPathGuard } from '../src/path-guard.ts';
import { SECRET, tempRepo, writeTree } from './temp-dirs.ts';

async function setup() {
  const repo = await tempRepo();
  return { ...repo, guard: createPathGuard([{ id: 'repo', path: repo.root }]) };
}

describe('listDir', () => {
  test('lists the root: directories first, then by name, with types and file sizes', async () => {
    const { guard } = await setup();
    const r = await listDir(guard, {});
    expect(r).toEqual({
      ok: true,
      path: '.',
      entries: [
        { name: '.config', type: 'dir' },
        { name: '.git', type: 'dir' },
        { name: 'node_modules', type: 'dir' },
        { name: 'src', type: 'dir' },
        { name: '.gitignore', type: 'file', size: 6 },
        { name: 'README.md', type: 'file', size: 19 },
        { name: 'ignored.log', type: 'file', size: 27 },
        { name: 'leak.txt', type: 'symlink' },
        { name: 'leakdir', type: 'symlink' },
        { name: 'src-link', type: 'symlink' },
      ],
      total: 10,
      truncated: false,
    });
  });

  test('lists a subdirectory', async () => {
    const { guard } = await setup();
    const r = await listDir(guard, { path: 'src' });
    expect(r).toMatchObject({
      ok: true,
      path: 'src',
      entries: [
        { name: 'util', type: 'dir' },
        { name: 'index.ts', type: 'file' },
      ],
    });
  });

  test('caps the entries and says so', async () => {
    const { root, guard } = await setup();
    await writeTree(
      root,
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`many/f${i}`, ''])),
    );
    const r = await listDir(guard, { path: 'many' }, { maxEntries: 10 });
    expect(r).toMatchObject({ ok: true, total: 30, truncated: true });
    expect(r.ok && r.entries).toHaveLength(10);
  });

  test('a directory link pointing out is refused', async () => {
    const { guard } = await setup();
    const r = await listDir(guard, { path: 'leakdir' });
    expect(r).toMatchObject({ ok: false, code: 'outside_root' });
    expect(JSON.stringify(r)).not.toContain('secret.txt');
    expect(JSON.stringify(r)).not.toContain(SECRET);
  });

  test('a missing directory is not_found and a file is not_a_directory', async () => {
    const { guard } = await setup();
    expect(await listDir(guard, { path: 'nope' })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await listDir(guard, { path: 'README.md' })).toMatchObject({
      ok: false,
      code: 'not_a_directory',
    });
  });
});
