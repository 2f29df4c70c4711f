import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { checkInstalled, resolveCommand } from '../../src/providers/installed.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-tier1-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function script(rel: string, body: string, mode = 0o755): Promise<string> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, mode);
  return file;
}
const env = { PATH: '/usr/bin:/bin' };

test('a name is found in the first folder of the search path that has it', async () => {
  await script('a/tool', 'exit 0');
  const second = await script('b/tool', 'exit 0');
  const searchPath = [path.join(dir, 'none'), path.join(dir, 'b'), path.join(dir, 'a')].join(':');
  expect(await resolveCommand('tool', searchPath)).toBe(second);
});

test('a file that is not executable is not installed', async () => {
  await script('a/tool', 'exit 0', 0o644);
  expect(await checkInstalled('tool', path.join(dir, 'a'), env)).toEqual({
    path: null,
    version: null,
  });
});

test('the version is the first x.y.z it prints, on stdout or stderr', async () => {
  await script('a/out', 'echo "out version 1.22.3 (node 20.1.0)"');
  await script('a/err', 'echo "v0.15.10-beta" >&2; exit 1');
  const searchPath = path.join(dir, 'a');
  expect((await checkInstalled('out', searchPath, env)).version).toBe('1.22.3');
  expect((await checkInstalled('err', searchPath, env)).version).toBe('0.15.10');
});

test('an absolute command is taken as it is', async () => {
  const file = await script('x/agent', 'echo 3.4.5');
  expect(await checkInstalled(file, '', env)).toEqual({ path: file, version: '3.4.5' });
});

test('a --version that never ends is killed at 3 s: installed, version unknown', async () => {
  const file = await script('a/hangs', 'exec sleep 60');
  expect(await checkInstalled('hangs', path.join(dir, 'a'), env)).toEqual({
    path: file,
    version: null,
  });
});

test('a bin that prints no version takes that of the npm package it links into', async () => {
  const pkg = path.join(dir, 'node_modules/@acme/agent');
  await script('node_modules/@acme/agent/dist/cli.js', 'exit 0');
  await writeFile(path.join(pkg, 'package.json'), '{"name":"@acme/agent","version":"0.16.2"}');
  await mkdir(path.join(dir, 'node_modules/.bin'));
  await symlink('../@acme/agent/dist/cli.js', path.join(dir, 'node_modules/.bin/acme'));
  const found = await checkInstalled('acme', path.join(dir, 'node_modules/.bin'), env);
  expect(found.version).toBe('0.16.2');
});

test('a --version whose children hold its output open is cut at 3 s as well', async () => {
  await script('a/wrapper', 'sleep 60 &\nsleep 60');
  expect((await checkInstalled('wrapper', path.join(dir, 'a'), env)).version).toBeNull();
});

test('a binary replaced by another version shows the new version', async () => {
  const searchPath = path.join(dir, 'a');
  await script('a/tool', 'echo 1.2.3');
  expect((await checkInstalled('tool', searchPath, env)).version).toBe('1.2.3');
  await rm(path.join(dir, 'a/tool'));
  await script('a/tool', 'echo 1.2.40');
  expect((await checkInstalled('tool', searchPath, env)).version).toBe('1.2.40');
});

test('an unchanged binary is not asked again', async () => {
  const searchPath = path.join(dir, 'a');
  const count = path.join(dir, 'count');
  await script('a/counted', `echo x >> ${count}; echo 5.6.7`);
  await checkInstalled('counted', searchPath, env);
  await checkInstalled('counted', searchPath, env);
  expect((await readFile(count, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
});
