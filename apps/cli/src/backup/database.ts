import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, createSql, startEmbedded, type Sql } from '@boocode/db';
import { ServerRunFile } from '@boocode/protocol';
import { z } from 'zod';
import { CliError } from '../errors.ts';

/** The variables backup and restore read, as the server reads them. */
const Env = z.object({
  BOOCODE_HOME: z.string().min(1).optional(),
  BOOCODE_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5500),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
});

export interface Where {
  home: string;
  pgPort: number;
  databaseUrl: string | null;
}

export function whereFrom(env: NodeJS.ProcessEnv): Where {
  const parsed = Env.safeParse({ ...env, DATABASE_URL: env.DATABASE_URL || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    home: path.resolve(e.BOOCODE_HOME || path.join(os.homedir(), '.boocode')),
    pgPort: e.BOOCODE_PG_PORT,
    databaseUrl: e.DATABASE_URL ?? null,
  };
}

export interface OpenDatabase {
  sql: Sql;
  /** Said in messages: which database this is. */
  label: string;
  /** Whether the embedded cluster was already running (boocode's, then). */
  wasRunning: boolean;
  close(): Promise<void>;
}

/**
 * The database of this home: DATABASE_URL's, else the embedded cluster, reached where boocode
 * runs it or else started here for the command and stopped after it (`create`: a home with no
 * cluster gets a new one, as a restore into an empty home wants).
 */
export async function openDatabase(w: Where, opts: { create: boolean }): Promise<OpenDatabase> {
  if (w.databaseUrl) {
    const sql = createSql(w.databaseUrl, { max: 2 });
    try {
      await sql`select 1`;
    } catch (err) {
      await sql.end({ timeout: 1 }).catch(() => {});
      throw new CliError(`cannot reach the database in DATABASE_URL: ${messageOf(err)}`);
    }
    return {
      sql,
      label: 'the database in DATABASE_URL',
      wasRunning: false,
      close: () => sql.end(),
    };
  }
  const dataDir = path.join(w.home, 'pg');
  const label = `the embedded PostgreSQL of ${w.home}`;
  if (existsSync(path.join(w.home, 'pg.secret'))) {
    const running = await connectDatabase({ ...w, databaseUrl: null }).catch(() => null);
    if (running) return { sql: running, label, wasRunning: true, close: () => running.end() };
  }
  if (!opts.create && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
    throw new CliError(
      `no database to back up: no DATABASE_URL, and no embedded PostgreSQL in ${dataDir}`,
    );
  }
  const cluster = await startEmbedded({ dataDir, port: w.pgPort }).catch((err: unknown) => {
    throw new CliError(`could not start ${label} on port ${w.pgPort}: ${messageOf(err)}`);
  });
  const sql = createSql(cluster.url, { max: 2 });
  return {
    sql,
    label,
    wasRunning: false,
    close: async () => {
      await sql.end();
      await cluster.stop();
    },
  };
}

/** Whether the boocode server of this home answers: restore wants it stopped. */
export async function serverRunning(home: string): Promise<string | null> {
  const text = await readFile(path.join(home, 'run', 'server.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  let url: string;
  try {
    url = ServerRunFile.parse(JSON.parse(text)).url;
  } catch {
    return null;
  }
  const res = await fetch(new URL('/api/health', url), { signal: AbortSignal.timeout(2000) }).catch(
    () => null,
  );
  return res?.ok ? url : null;
}

export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
