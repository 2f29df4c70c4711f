import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ServerRunFile } from '@boocode/protocol';

/** `$BOOCODE_HOME/run/server.json`: how the CLI finds the running server (never the token). */
export function runFilePath(home: string): string {
  return path.join(home, 'run', 'server.json');
}

/** Writes the run file whole (0600, renamed into place), in the run folder made before. */
export async function writeRunFile(home: string, url: string): Promise<void> {
  const file = runFilePath(home);
  const body: ServerRunFile = { url, pid: process.pid, startedAt: new Date().toISOString() };
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${JSON.stringify(body)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Removes the run file if it is still ours (a newer server may have written its own). */
export async function removeRunFile(home: string): Promise<void> {
  const file = runFilePath(home);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return;
  let parsed: ReturnType<typeof ServerRunFile.safeParse>;
  try {
    parsed = ServerRunFile.safeParse(JSON.parse(text));
  } catch {
    return;
  }
  if (parsed.success && parsed.data.pid === process.pid) await rm(file, { force: true });
}
