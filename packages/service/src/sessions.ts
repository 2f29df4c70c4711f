import { createHash, randomBytes } from 'node:crypto';
import { createSession, findSession, type Sql } from '@boocode/db';

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Opens a session: its secret (the cookie's value; only its hash is stored) and its id. */
export async function openSession(
  sql: Sql,
  userAgent: string,
): Promise<{ id: string; secret: string }> {
  const secret = randomBytes(32).toString('base64url');
  const row = await createSession(sql, {
    secretHash: hash(secret),
    userAgent: userAgent.slice(0, 300),
  });
  return { id: row.id, secret };
}

/** The auth gate's session check: the id of the session `secret` opens, or null. */
export function sessionChecker(sql: Sql): (secret: string) => Promise<string | null> {
  return (secret) => (secret.length > 200 ? Promise.resolve(null) : findSession(sql, hash(secret)));
}
