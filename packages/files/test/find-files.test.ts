import { describe, expect, test } from 'vitest';
import { findFiles } from '../src/find-files.ts';
import { createPathGuard } from '../src/path-guard.ts';
import { tempRepo, writeTree } from './temp-dirs.ts';

async function setup() {
  const repo = await tempRepo();
  return { ...repo, guard: createPathGuard([{ id: 'repo', path: repo.root }]) };
}

describe('findFiles', () => {
  test('a pattern without "/" matches file names at any depth', async () => {
    const { guard } = await setup();
    const r = await findFiles(guard, { pattern: '*.ts' });
    expect(r).toEqual({
      ok: true,
      files: ['src/index.ts', 'src/util/strings.test.ts', 'src/util/strings.ts'],
      truncated: false,
    });
  });

  test('a pattern with "/" matches the path relative to the search directory', async () => {
    const { guard } = await setup();
    expect(await findFiles(guard, { pattern: 'src/*.ts' })).toMatchObject({
      files: ['src/index.ts'],
    });
    expect(await findFiles(guard, { pattern: 'util/*.test.ts', path: 'src' })).toMatchObject({
      files: ['src/util/strings.test.ts'],
    });
    expect(await findFiles(guard, { pattern: '**/strings.*' })).toMatchObject({
      files: ['src/util/strings.test.ts', 'src/util/strings.ts'],
    });
  });

  test('skips .git, node_modules and ignored files but finds dot files', async () => {
    const { guard } = await setup();
    const r = await findFiles(guard, { pattern: '*' });
    expect(r.ok && r.files).toEqual([
      '.config/settings.json',
      '.gitignore',
      'README.md',
      'src/index.ts',
      'src/util/strings.test.ts',
      'src/util/strings.ts',
    ]);
  });

  test('does not follow links, so files outside never appear', async () => {
    const { guard } = await setup();
    const r = await findFiles(guard, { pattern: '**/*secret*' });
    expect(r).toEqual({ ok: true, files: [], truncated: false });
    const deep = await findFiles(guard, { pattern: 'deep.txt' });
    expect(deep).toEqual({ ok: true, files: [], truncated: false });
  });

  test('refuses a directory link pointing out', async () => {
    const { guard } = await setup();
    expect(await findFiles(guard, { pattern: '*', path: 'leakdir' })).toMatchObject({
      ok: false,
      code: 'outside_root',
    });
  });

  test('caps the files and says so', async () => {
    const { root, guard } = await setup();
    await writeTree(
      root,
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`gen/f${i}.txt`, ''])),
    );
    const r = await findFiles(guard, { pattern: 'gen/*.txt', maxResults: 5 });
    expect(r).toMatchObject({ ok: true, truncated: true });
    expect(r.ok && r.files).toHaveLength(5);
  });

  test('a leading "/" in the pattern is refused', async () => {
    const { guard } = await setup();
    expect(await findFiles(guard, { pattern: '/etc/*' })).toMatchObject({
      ok: false,
      code: 'bad_args',
    });
  });
});
