import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The access token, kept in `$BOOCODE_HOME/token` (0600) so that it survives restarts. On a first
 * start several processes (the server, booterm, coder) may ask at once: the file is made whole
 * and linked into place only if none is there, so all of them end up with the same token.
 */
export async function loadOrCreateToken(home: string): Promise<string> {
  const file = path.join(home, 'token');
  const read = async () => {
    const t = (await readFile(file, 'utf8').catch(() => '')).trim();
    return t.length >= 32 ? t : null;
  };
  const found = await read();
  if (found) return found;
  await mkdir(home, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600 });
  try {
    await link(tmp, file);
    return token;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process made it first; a short or empty file is replaced.
    const theirs = await read();
    if (theirs) return theirs;
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    return token;
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Writes a new token over the old one (atomically) and answers it. */
export async function rotateToken(home: string): Promise<string> {
  const file = path.join(home, 'token');
  const token = randomBytes(32).toString('base64url');
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, `${token}\n`, { mode: 0o600 });
  await rename(tmp, file);
  return token;
}

/**
 * The token as `$BOOCODE_HOME/token` says now: a service started on its own follows a rotation
 * the server makes (the file is replaced, a new inode), so the old token stops working there too.
 * Each call is one stat; the file is read again only when it was replaced or changed.
 */
export function followToken(home: string, initial: string): () => string {
  const file = path.join(home, 'token');
  let current = initial;
  let seen = '';
  return () => {
    try {
      const st = statSync(file);
      const id = `${st.ino}:${st.mtimeMs}:${st.size}`;
      if (id !== seen) {
        const t = readFileSync(file, 'utf8').trim();
        if (t.length >= 32) current = t;
        seen = id;
      }
    } catch {
      // The file went: keep the token as last read rather than let anyone in.
    }
    return current;
  };
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
