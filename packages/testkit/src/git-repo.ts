import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A real git repository at `dir` holding `files` (path -> content), for tests of projects. */
export async function makeGitRepo(
  dir: string,
  files: Record<string, string> = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  execFileSync('git', ['init', '-q', dir]);
  return dir;
}
