import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp directory removed after the test; its real path, since /tmp may be a link. */
export async function tempDir(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-files-')));
  made.push(dir);
  return dir;
}

/** Writes files (creating parent directories) under `base`; keys are relative paths. */
export async function writeTree(base: string, files: Record<string, string | Buffer>) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(base, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

export const SECRET = 'TOPSECRET-7f3a9c';

/**
 * A git repository `base/repo` with a few files, next to `base/outside/secret.txt` holding
 * {@link SECRET}, and links in the repo pointing at the secret and its directory.
 */
export async function tempRepo() {
  const base = await tempDir();
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  await writeTree(outside, { 'secret.txt': `${SECRET}\n`, 'more/deep.txt': `${SECRET} deep\n` });
  await writeTree(root, {
    'README.md': '# demo\nhello world\n',
    'src/index.ts': 'export const greeting = "hello";\nexport function main() {}\n',
    'src/util/strings.ts': 'export const shout = (s: string) => s.toUpperCase();\n',
    'src/util/strings.test.ts': 'import { shout } from "./strings";\n',
    'node_modules/dep/index.js': 'module.exports = "hello from dep";\n',
    'ignored.log': 'hello from an ignored file\n',
    '.gitignore': '*.log\n',
    '.config/settings.json': '{ "hello": true }\n',
  });
  execFileSync('git', ['init', '-q'], { cwd: root });
  await symlink('../outside/secret.txt', path.join(root, 'leak.txt'));
  await symlink('../outside', path.join(root, 'leakdir'));
  await symlink('src', path.join(root, 'src-link'));
  return { base, root, outside };
}
