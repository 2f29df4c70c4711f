import { fstatSync } from 'node:fs';

/**
 * Whether `fd` (stdout) is the systemd journal: systemd sets JOURNAL_STREAM to the device and
 * inode of the stream it connects a service's output to, and documents comparing them with the
 * descriptor's own (systemd.exec). INVOCATION_ID alone would also match a shell in a terminal
 * that a desktop's systemd started, whose output is that terminal.
 */
export function writesToJournal(env: NodeJS.ProcessEnv = process.env, fd = 1): boolean {
  const stream = env.JOURNAL_STREAM;
  if (!stream) return false;
  try {
    const st = fstatSync(fd);
    return stream === `${st.dev}:${st.ino}`;
  } catch {
    return false;
  }
}
