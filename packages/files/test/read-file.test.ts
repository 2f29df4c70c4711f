import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createPathGuard } from '../src/path-guard.ts';
import { readFile } from '../src/read-file.ts';
import { SECRET, tempRepo, writeTree } from './temp-dirs.ts';

async function setup() {
  const repo = await tempRepo();
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');
  await writeTree(repo.root, {
    'fifty.txt': `${lines}\n`,
    'no-newline.txt': 'one\ntwo',
    'crlf.txt': 'one\r\ntwo\r\n',
    'empty.txt': '',
    'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
    'utf8.txt': 'ééééé\n',
  });
  return { ...repo, guard: createPathGuard([{ id: 'repo', path: repo.root }]) };
}

describe('readFile', () => {
  test('returns numbered lines of the whole file', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'README.md' });
    expect(r).toEqual({
      ok: true,
      path: 'README.md',
      content: '1\t# demo\n2\thello world',
      startLine: 1,
      endLine: 2,
      totalLines: 2,
      truncated: false,
    });
  });

  test('returns a 1-based inclusive line range', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'fifty.txt', startLine: 10, endLine: 12 });
    expect(r).toMatchObject({
      ok: true,
      content: '10\tline 10\n11\tline 11\n12\tline 12',
      startLine: 10,
      endLine: 12,
      truncated: false,
    });
  });

  test('an end past the last line stops at the last line', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'fifty.txt', startLine: 49, endLine: 100 });
    expect(r).toMatchObject({
      ok: true,
      content: '49\tline 49\n50\tline 50',
      endLine: 50,
      totalLines: 50,
    });
  });

  test('a start past the end is refused with the line count', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'fifty.txt', startLine: 51 });
    expect(r).toMatchObject({ ok: false, code: 'bad_args' });
    expect(!r.ok && r.message).toContain('50 lines');
  });

  test('an inverted range is refused', async () => {
    const { guard } = await setup();
    expect(await readFile(guard, { path: 'fifty.txt', startLine: 5, endLine: 4 })).toMatchObject({
      ok: false,
      code: 'bad_args',
    });
  });

  test('raw mode returns the text without numbers and without CR', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'crlf.txt', lineNumbers: false });
    expect(r).toMatchObject({ ok: true, content: 'one\ntwo', totalLines: 2 });
  });

  test('a last line without a newline counts', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'no-newline.txt', startLine: 2 });
    expect(r).toMatchObject({ ok: true, content: '2\ttwo', totalLines: 2 });
  });

  test('an empty file reads as no lines', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'empty.txt' });
    expect(r).toMatchObject({ ok: true, content: '', startLine: 0, endLine: 0, totalLines: 0 });
  });

  test('a binary file is refused', async () => {
    const { guard } = await setup();
    expect(await readFile(guard, { path: 'image.png' })).toMatchObject({
      ok: false,
      code: 'binary_file',
    });
  });

  test('output past the size cap is cut between lines and says where to continue', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'fifty.txt' }, { maxBytes: 40 });
    expect(r).toMatchObject({ ok: true, truncated: true, startLine: 1, endLine: 4 });
    if (!r.ok) return;
    expect(Buffer.byteLength(r.content)).toBeLessThanOrEqual(40);
    expect(r.totalLines).toBeUndefined();
    expect(r.note).toContain('startLine=5');
  });

  test('a single line longer than the cap is cut without splitting a character', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'utf8.txt', lineNumbers: false }, { maxBytes: 6 });
    expect(r).toMatchObject({ ok: true, content: 'éé', truncated: true });
    expect(r.ok && r.note).toContain('startLine=1');
  });

  test('the cap applies to a range deep in a big file, not to the file size', async () => {
    const { root, guard } = await setup();
    const big = Array.from({ length: 100_000 }, (_, i) => `row ${i + 1}`).join('\n');
    await writeTree(root, { 'big.txt': big });
    const r = await readFile(guard, { path: 'big.txt', startLine: 99_999 }, { maxBytes: 1024 });
    expect(r).toMatchObject({
      ok: true,
      content: '99999\trow 99999\n100000\trow 100000',
      truncated: false,
    });
  });

  test('a missing file is not_found', async () => {
    const { guard } = await setup();
    expect(await readFile(guard, { path: 'nope.txt' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  test('a directory is refused and points to list_dir', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'src' });
    expect(r).toMatchObject({ ok: false, code: 'not_a_file' });
    expect(!r.ok && r.message).toContain('list_dir');
  });

  test('a FIFO is refused without blocking', async () => {
    const { root, guard } = await setup();
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    expect(await readFile(guard, { path: 'pipe' })).toMatchObject({
      ok: false,
      code: 'not_a_file',
    });
  });

  test('the secret outside the root cannot be read, directly or through a link', async () => {
    const { guard } = await setup();
    for (const p of ['../outside/secret.txt', 'leak.txt', 'leakdir/secret.txt']) {
      const r = await readFile(guard, { path: p });
      expect(r).toMatchObject({ ok: false, code: 'outside_root' });
      expect(JSON.stringify(r)).not.toContain(SECRET);
    }
  });

  test('a link inside the root pointing inside is read', async () => {
    const { guard } = await setup();
    const r = await readFile(guard, { path: 'src-link/index.ts', endLine: 1 });
    expect(r).toMatchObject({
      ok: true,
      path: 'src/index.ts',
      content: '1\texport const greeting = "hello";',
    });
  });
});
