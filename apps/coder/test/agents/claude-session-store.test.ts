import { randomUUID } from 'node:crypto';
import {
  InMemorySessionStore,
  type SessionKey,
  type SessionStore,
  type SessionStoreEntry,
} from '@anthropic-ai/claude-agent-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { PgSessionStore } from '../../src/agents/claude/session-store.ts';

// The SDK's SessionStore contract, run against PostgreSQL beside the SDK's own
// InMemorySessionStore: the same operations must give the same answers.

let db: TestDatabase;
let pg: PgSessionStore;
let mem: InMemorySessionStore;
beforeAll(async () => {
  db = await testDatabase();
  pg = new PgSessionStore(db.sql);
});
afterAll(() => db.drop());
beforeEach(() => {
  mem = new InMemorySessionStore();
});

/** A fresh project key per test, so the tests share the database and not their sessions. */
const project = () => `-tmp-project-${randomUUID().slice(0, 8)}`;
const sid = () => randomUUID();

/** Entries shaped like the CLI's transcript lines (snake_case keys inside, nested JSON). */
function userEntry(sessionId: string, text: string): SessionStoreEntry {
  return {
    type: 'user',
    uuid: randomUUID(),
    parentUuid: null,
    timestamp: new Date().toISOString(),
    sessionId,
    cwd: '/tmp/repo',
    isSidechain: false,
    gitBranch: 'main',
    message: { role: 'user', content: [{ type: 'text', text }] },
  };
}
function assistantEntry(sessionId: string, text: string): SessionStoreEntry {
  return {
    type: 'assistant',
    uuid: randomUUID(),
    timestamp: new Date().toISOString(),
    sessionId,
    message: {
      id: 'msg_1',
      role: 'assistant',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 12, output_tokens: 3, cache_read_input_tokens: 0 },
    },
  };
}
const titleEntry = (sessionId: string, customTitle: string): SessionStoreEntry => ({
  type: 'custom-title',
  customTitle,
  sessionId,
});

/** Appends the same entries (built once) to both stores. */
async function put(key: SessionKey, entries: SessionStoreEntry[]): Promise<void> {
  await same((s) => s.append(key, entries));
}

/** Runs one operation on both stores and returns both answers. */
async function both<T>(op: (s: SessionStore) => Promise<T>): Promise<[T, T]> {
  return [await op(pg), await op(mem)];
}
async function same<T>(op: (s: SessionStore) => Promise<T>): Promise<T> {
  const [a, b] = await both(op);
  expect(a).toEqual(b);
  return a;
}
const sorted = <T>(xs: T[], by: (x: T) => string) =>
  [...xs].sort((a, b) => by(a).localeCompare(by(b)));

describe('PgSessionStore beside InMemorySessionStore', () => {
  it('loads null for a key never written, and for a subpath never written', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    expect(await same((s) => s.load(key))).toBeNull();
    await put(key, [userEntry(key.sessionId, 'hi')]);
    expect(await same((s) => s.load({ ...key, subpath: 'subagents/agent-x' }))).toBeNull();
  });

  it('loads entries deep-equal to what was appended, across batches, in append order', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const batches = [
      [userEntry(key.sessionId, 'one'), assistantEntry(key.sessionId, 'two')],
      [titleEntry(key.sessionId, 'A title'), userEntry(key.sessionId, 'ünïcödé ✓ "quoted"')],
      [],
      [assistantEntry(key.sessionId, 'three')],
    ];
    for (const batch of batches) await same((s) => s.append(key, batch));
    const loaded = await same((s) => s.load(key));
    expect(loaded).toEqual(batches.flat());
  });

  it('keeps a key appended with no entries: it loads as empty, not null', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    await put(key, []);
    expect(await same((s) => s.load(key))).toEqual([]);
  });

  it('keeps subagent transcripts apart from the main one and lists their subpaths', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const a: SessionKey = { ...key, subpath: 'subagents/agent-a' };
    const b: SessionKey = { ...key, subpath: 'subagents/agent-b' };
    await put(key, [userEntry(key.sessionId, 'main')]);
    await put(b, [userEntry(key.sessionId, 'in b')]);
    await put(a, [userEntry(key.sessionId, 'in a')]);
    const [pgKeys, memKeys] = await both((s) => s.listSubkeys!(key));
    expect(pgKeys.sort()).toEqual(memKeys.sort());
    expect(pgKeys).toEqual(['subagents/agent-a', 'subagents/agent-b']);
    expect((await same((s) => s.load(a)))?.length).toBe(1);
    expect((await same((s) => s.load(key)))?.length).toBe(1);
  });

  it('lists the sessions of a project that have a main transcript, with rising mtimes', async () => {
    const projectKey = project();
    const [one, two] = [sid(), sid()];
    await put({ projectKey, sessionId: one }, [userEntry(one, 'a')]);
    await put({ projectKey, sessionId: two }, [userEntry(two, 'b')]);
    // Only a subagent's transcript: not a session of its own.
    const lone = sid();
    await put({ projectKey, sessionId: lone, subpath: 'subagents/x' }, []);
    await put({ projectKey: project(), sessionId: sid() }, []);
    const [pgList, memList] = await both((s) => s.listSessions!(projectKey));
    const ids = (xs: { sessionId: string }[]) => xs.map((x) => x.sessionId).sort();
    expect(ids(pgList)).toEqual(ids(memList));
    expect(ids(pgList)).toEqual([one, two].sort());

    const before = pgList.find((x) => x.sessionId === one)!.mtime;
    expect(Number.isInteger(before)).toBe(true);
    await pg.append({ projectKey, sessionId: one }, [assistantEntry(one, 'later')]);
    const after = (await pg.listSessions(projectKey)).find((x) => x.sessionId === one)!.mtime;
    expect(after).toBeGreaterThan(before);
  });

  it('folds the same summaries as the SDK, stamped with the listed mtime', async () => {
    const projectKey = project();
    const [one, two] = [sid(), sid()];
    await put({ projectKey, sessionId: one }, [userEntry(one, 'first prompt')]);
    await put({ projectKey, sessionId: one }, [titleEntry(one, 'Named')]);
    await put({ projectKey, sessionId: two }, [userEntry(two, 'other')]);
    const [pgSums, memSums] = await both((s) => s.listSessionSummaries!(projectKey));
    const data = (xs: { sessionId: string; data: unknown }[]) =>
      sorted(xs, (x) => x.sessionId).map((x) => ({ sessionId: x.sessionId, data: x.data }));
    expect(data(pgSums)).toEqual(data(memSums));
    expect(JSON.stringify(pgSums)).toContain('Named');
    const listed = await pg.listSessions(projectKey);
    for (const summary of pgSums)
      expect(summary.mtime).toBe(listed.find((x) => x.sessionId === summary.sessionId)?.mtime);
  });

  it('deletes a subagent transcript alone, and a main one with its subagents', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const sub = { ...key, subpath: 'subagents/agent-a' };
    const other = { ...key, subpath: 'subagents/agent-b' };
    for (const k of [key, sub, other]) await put(k, [userEntry(k.sessionId, 'x')]);
    await same((s) => s.delete!(sub));
    expect(await same((s) => s.load(sub))).toBeNull();
    expect(await same((s) => s.listSubkeys!(key))).toEqual(['subagents/agent-b']);
    await same((s) => s.delete!(key));
    expect(await same((s) => s.load(key))).toBeNull();
    expect(await same((s) => s.load(other))).toBeNull();
    expect(await same((s) => s.listSessions!(key.projectKey))).toEqual([]);
  });
});

describe('PgSessionStore on its own', () => {
  it('treats uuid as an idempotency key: a replayed batch adds nothing twice', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const batch = [userEntry(key.sessionId, 'one'), assistantEntry(key.sessionId, 'two')];
    await pg.append(key, batch);
    // A retry of the same batch, then a replay that overlaps it and brings one new entry.
    await pg.append(key, batch);
    const three = userEntry(key.sessionId, 'three');
    await pg.append(key, [batch[1]!, three]);
    expect(await pg.load(key)).toEqual([...batch, three]);
  });

  it('appends entries without a uuid every time (no dedup without a key)', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const title = titleEntry(key.sessionId, 'T');
    await pg.append(key, [title]);
    await pg.append(key, [title]);
    expect(await pg.load(key)).toEqual([title, title]);
  });

  it('keeps every entry of appends that race on one transcript, each batch in order', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    const batches = Array.from({ length: 8 }, (_, i) => [
      userEntry(key.sessionId, `q${i}`),
      assistantEntry(key.sessionId, `a${i}`),
    ]);
    await Promise.all(batches.map((b) => pg.append(key, b)));
    const loaded = (await pg.load(key))!;
    expect(loaded).toHaveLength(16);
    const at = (e: SessionStoreEntry | undefined) => loaded.findIndex((x) => x.uuid === e?.uuid);
    for (const [q, a] of batches) expect(at(a)).toBe(at(q) + 1);
  });

  it('rejects a batch with a NUL character (JSONB cannot hold it) and writes none of it', async () => {
    const key = { projectKey: project(), sessionId: sid() };
    await pg.append(key, [userEntry(key.sessionId, 'kept')]);
    const bad = { type: 'user', uuid: randomUUID(), text: 'nul \u0000 inside' };
    await expect(pg.append(key, [userEntry(key.sessionId, 'lost'), bad])).rejects.toThrow();
    expect((await pg.load(key))?.map((e) => e.type)).toEqual(['user']);
  });
});
