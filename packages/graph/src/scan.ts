import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { GraphLanguage } from '@boocode/protocol';
import { languageOf } from './languages.ts';

/** Files larger than this are not parsed (generated bundles, minified code). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A listing is cut here: a project with more source files is indexed in part. */
export const MAX_FILES = 50_000;

export interface ScannedFile {
  path: string;
  abs: string;
  language: GraphLanguage;
  size: number;
  mtimeMs: number;
}

/**
 * The source files of a project as ripgrep lists them: `.gitignore` honoured, `.git` and
 * `node_modules` skipped, symlinks not followed (a link could point out of the project), each
 * stat'ed. Files of no graph language, larger than {@link MAX_FILE_BYTES} or gone are left out.
 */
export async function scanProject(
  root: string,
  opts: { rgPath?: string; timeoutMs?: number } = {},
): Promise<{ files: ScannedFile[]; truncated: boolean }> {
  const listed: { path: string; language: GraphLanguage }[] = [];
  let truncated = false;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      opts.rgPath ?? '/usr/bin/rg',
      ['--files', '--no-config', '--no-follow', '--hidden', '--glob=!.git', '--glob=!node_modules'],
      { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const language = languageOf(line);
      if (!language || truncated) return;
      if (listed.length >= MAX_FILES) {
        truncated = true;
        child.kill();
        return;
      }
      listed.push({ path: line.split(path.sep).join('/'), language });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // Exit code 1 is "no files": an empty project.
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const files: ScannedFile[] = [];
  // Stat in slices: thousands at once would open as many requests to the thread pool.
  for (let i = 0; i < listed.length; i += 256) {
    const slice = await Promise.all(
      listed.slice(i, i + 256).map(async (f) => {
        const abs = path.join(root, f.path);
        const st = await stat(abs).catch(() => null);
        if (!st?.isFile() || st.size > MAX_FILE_BYTES) return null;
        return { ...f, abs, size: st.size, mtimeMs: st.mtimeMs };
      }),
    );
    for (const f of slice) if (f) files.push(f);
  }
  return { files, truncated };
}
