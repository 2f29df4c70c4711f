import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ChangeRequest } from '@boocode/files';
import { upsertProject } from '@boocode/db';
import type { Project } from '@boocode/protocol';
import { makeGitRepo, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../src/app.ts';
import { changesOf } from '../src/coder-service.ts';
import { loadConfig } from '../src/config.ts';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
const ORIGIN = 'http://127.0.0.1:9500';

export interface Harness {
  app: FastifyInstance;
  /** Every route, as "METHOD url". */
  routes: string[];
  db: TestDatabase;
  /** A request with the token and the server's Origin, JSON in and out. */
  api<T = unknown>(
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await testDatabase();
  const config = loadConfig({ BOOCODE_HOME: '/nonexistent', LOG_LEVEL: 'silent' });
  const routes: string[] = [];
  const app = await buildApp({
    config,
    sql: db.sql,
    token: TOKEN,
    onRoute: (r) => routes.push(`${String(r.method)} ${r.url}`),
  });
  await app.ready();
  return {
    app,
    routes,
    db,
    async api<T>(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) {
      const res = await app.inject({
        method,
        url,
        headers: {
          host: '127.0.0.1:9500',
          origin: ORIGIN,
          authorization: `Bearer ${TOKEN}`,
        },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

const dirs: string[] = [];

/** A temp git repository registered as a project. */
export async function makeProject(
  h: Harness,
  files: Record<string, string>,
): Promise<{ project: Project; root: string }> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-coder-')));
  dirs.push(base);
  const root = await makeGitRepo(path.join(base, 'repo'), files);
  const { project } = await upsertProject(h.db.sql, { name: 'repo', path: root });
  return { project, root };
}

export async function removeProjects(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Queues a change as a coder chat's write tool does (through the same ProjectChanges). */
export async function queue(
  h: Harness,
  project: Project,
  chatId: string | null,
  req: ChangeRequest,
) {
  const queued = await changesOf(h.db.sql, project).queue(chatId, req);
  if (!queued.ok) throw new Error(queued.message);
  return queued.change;
}
