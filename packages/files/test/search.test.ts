import { describe, expect, test } from 'vitest';
import { createPathGuard } from '../src/path-guard.ts';
import { search } from '../src/search.ts';
import { SECRET, tempRepo, writeTree } from './temp-dirs.ts';

async function setup() {
  const repo = await tempRepo();
  return { ...repo, guard: createPathGuard([{ id: 'repo', path: repo.root }]) };
}

describe('search', () => {
  test('finds text with file, line and line text, relative to the root', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'greeting' });
    expect(r).toEqual({
      ok: true,
      matches: [{ path: 'src/index.ts', line: 1, text: 'export const greeting = "hello";' }],
      truncated: false,
    });
  });

  test('skips .gitignored files, node_modules and .git, but searches dot files', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'hello' });
    expect(r.ok && r.matches.map((m) => m.path)).toEqual([
      '.config/settings.json',
      'README.md',
      'src/index.ts',
    ]);
  });

  test('never returns the secret outside the root, even through links pointing at it', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: SECRET, literal: true });
    expect(r).toEqual({ ok: true, matches: [], truncated: false });
  });

  test('refuses to search a directory link pointing out', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: SECRET, path: 'leakdir' });
    expect(r).toMatchObject({ ok: false, code: 'outside_root' });
  });

  test('searches within a subdirectory, with paths still relative to the root', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'shout', path: 'src/util' });
    expect(r.ok && r.matches.map((m) => `${m.path}:${m.line}`)).toEqual([
      'src/util/strings.test.ts:1',
      'src/util/strings.ts:1',
    ]);
  });

  test('searches a single file', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'hello', path: 'README.md' });
    expect(r.ok && r.matches).toEqual([{ path: 'README.md', line: 2, text: 'hello world' }]);
  });

  test('filters files with a glob', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'shout', glob: '!*.test.ts' });
    expect(r.ok && r.matches.map((m) => m.path)).toEqual(['src/util/strings.ts']);
  });

  test('smart case by default, exact case on request', async () => {
    const { guard } = await setup();
    const smart = await search(guard, { query: 'HELLO' });
    expect(smart.ok && smart.matches).toEqual([]);
    const insensitive = await search(guard, { query: 'HELLO', caseSensitive: false });
    expect(insensitive.ok && insensitive.matches.length).toBe(3);
    const exact = await search(guard, { query: 'Hello', caseSensitive: true });
    expect(exact.ok && exact.matches).toEqual([]);
  });

  test('a query that looks like a flag is searched for, not obeyed', async () => {
    const { root, guard } = await setup();
    await writeTree(root, { 'flags.txt': 'use --files to list\n' });
    const r = await search(guard, { query: '--files', literal: true });
    expect(r.ok && r.matches).toEqual([
      { path: 'flags.txt', line: 1, text: 'use --files to list' },
    ]);
  });

  test('caps the matches and says so', async () => {
    const { root, guard } = await setup();
    await writeTree(root, { 'many.txt': 'needle\n'.repeat(50) });
    const r = await search(guard, { query: 'needle', maxResults: 10 });
    expect(r).toMatchObject({ ok: true, truncated: true });
    expect(r.ok && r.matches).toHaveLength(10);
    expect(r.ok && r.note).toContain('10 matches');
  });

  test('cuts long matched lines', async () => {
    const { root, guard } = await setup();
    await writeTree(root, { 'long.txt': `needle${'x'.repeat(1000)}\n` });
    const r = await search(guard, { query: 'needle' });
    expect(r.ok && r.matches[0]?.text.length).toBe(301);
  });

  test("an invalid regular expression is bad_args with ripgrep's explanation", async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: '(' });
    expect(r).toMatchObject({ ok: false, code: 'bad_args' });
    expect(!r.ok && r.message).toContain('regex');
  });

  test('a missing path is not_found', async () => {
    const { guard } = await setup();
    expect(await search(guard, { query: 'x', path: 'nope' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  test('an explicit path inside node_modules is searched', async () => {
    const { guard } = await setup();
    const r = await search(guard, { query: 'hello', path: 'node_modules/dep' });
    expect(r.ok && r.matches.map((m) => m.path)).toEqual(['node_modules/dep/index.js']);
  });
});
