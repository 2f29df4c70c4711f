import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { ServerRunFile } from '@boocode/protocol';
import { removeRunFile, runFilePath, writeRunFile } from '../src/run-file.ts';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-run-file-'));
  await mkdir(path.join(home, 'run'), { mode: 0o700 });
});
afterEach(() => rm(home, { recursive: true, force: true }));

test('the run file holds the URL and this pid, readable by the owner only', async () => {
  await writeRunFile(home, 'http://127.0.0.1:9500/');
  const file = runFilePath(home);
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  const parsed = ServerRunFile.parse(JSON.parse(await readFile(file, 'utf8')));
  expect(parsed).toMatchObject({ url: 'http://127.0.0.1:9500/', pid: process.pid });
});

test('a stop removes the run file it wrote', async () => {
  await writeRunFile(home, 'http://127.0.0.1:9500/');
  await removeRunFile(home);
  await expect(stat(runFilePath(home))).rejects.toThrow(/ENOENT/);
});

test("a stop leaves another server's run file alone", async () => {
  const theirs = { url: 'http://127.0.0.1:9600/', pid: process.pid + 1, startedAt: 'x' };
  await writeFile(runFilePath(home), JSON.stringify(theirs));
  await removeRunFile(home);
  expect(JSON.parse(await readFile(runFilePath(home), 'utf8'))).toEqual(theirs);
});
