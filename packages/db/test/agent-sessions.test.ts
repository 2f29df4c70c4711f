import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import {
  answerAgentPermission,
  appendAgentEvents,
  cancelAgentPermissions,
  createChat,
  getAgentSession,
  insertAgentPermission,
  insertAgentSession,
  listAgentEvents,
  listAgentSessions,
  listInbox,
  recoverAgentSessions,
  setAgentStatus,
  upsertProject,
  type Sql,
} from '../src/index.ts';

let db: TestDatabase;
let sql: Sql;
let chatId: string;
let projectId: string;
beforeAll(async () => {
  db = await testDatabase();
  sql = db.sql;
  const { project } = await upsertProject(sql, { name: 'p', path: '/tmp/agent-sessions-p' });
  projectId = project.id;
  chatId = (await createChat(sql, { title: 'c', model: null, projectId, kind: 'coder' })).id;
});
afterAll(async () => {
  await db.drop();
});

const newSession = () =>
  insertAgentSession(sql, {
    chatId,
    projectId,
    provider: 'qwen',
    mode: null,
    model: 'm',
    thinking: null,
    worktreePath: '/tmp/wt',
  });

describe('agent sessions', () => {
  it('numbers events 1, 2, ... per session, also when appended concurrently', async () => {
    const s = await newSession();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendAgentEvents(sql, s.id, [
          { type: 'message.delta', text: `a${i}` },
          { type: 'message.delta', text: `b${i}` },
        ]),
      ),
    );
    const frames = await listAgentEvents(sql, s.id);
    expect(frames.map((f) => f.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Each call's two events stay next to each other, in order.
    for (let i = 0; i < 40; i += 2) {
      const a = frames[i]!.event as { text: string };
      const b = frames[i + 1]!.event as { text: string };
      expect(b.text).toBe(`b${a.text.slice(1)}`);
    }
    expect((await getAgentSession(sql, s.id))!.lastSeq).toBe(40);
  });

  it('lists the events after a seq, and keeps snake_case keys inside an event', async () => {
    const s = await newSession();
    await appendAgentEvents(sql, s.id, [
      { type: 'prompt', text: 'hi' },
      {
        type: 'tool.call',
        toolCallId: 't1',
        title: 'Read',
        kind: 'read',
        status: 'pending',
        input: { file_path: 'a.txt' },
      },
    ]);
    const after = await listAgentEvents(sql, s.id, 1);
    expect(after).toHaveLength(1);
    expect(after[0]!.event).toMatchObject({ type: 'tool.call', input: { file_path: 'a.txt' } });
  });

  it('adds usage events to the session totals', async () => {
    const s = await newSession();
    await appendAgentEvents(sql, s.id, [
      { type: 'usage', inputTokens: 10, outputTokens: 5, costMicros: 7 },
      { type: 'usage', inputTokens: 1, outputTokens: 2, costMicros: null },
    ]);
    const got = (await getAgentSession(sql, s.id))!;
    expect([got.inputTokens, got.outputTokens, got.costMicros]).toEqual([11, 7, 7]);
  });

  it('answers a permission once; a second answer gets null', async () => {
    const s = await newSession();
    const p = await insertAgentPermission(sql, {
      sessionId: s.id,
      toolCallId: 't',
      title: 'Write a.txt',
      options: [{ id: 'allow', name: 'Allow', kind: 'allow_once' }],
    });
    expect((await answerAgentPermission(sql, p.id, 'allow'))?.optionId).toBe('allow');
    expect(await answerAgentPermission(sql, p.id, 'allow')).toBeNull();
  });

  it('lists pending permissions in the inbox with their session, until cancelled', async () => {
    const s = await newSession();
    const p = await insertAgentPermission(sql, {
      sessionId: s.id,
      toolCallId: null,
      title: 'Run ls',
      options: [{ id: 'ok', name: 'OK', kind: 'allow_once' }],
    });
    const mine = (await listInbox(sql)).filter(
      (i) => i.kind === 'permission' && i.sessionId === s.id,
    );
    expect(mine).toEqual([
      expect.objectContaining({
        permissionId: p.id,
        chatId,
        projectId,
        provider: 'qwen',
        options: [{ id: 'ok', name: 'OK', kind: 'allow_once' }],
      }),
    ]);
    expect(await cancelAgentPermissions(sql, s.id)).toEqual([p.id]);
    expect(
      (await listInbox(sql)).filter((i) => i.kind === 'permission' && i.sessionId === s.id),
    ).toEqual([]);
  });

  it('recovers: running sessions fail with the reason, idle ones close', async () => {
    const running = await newSession();
    await setAgentStatus(sql, running.id, 'running');
    const idle = await newSession();
    await setAgentStatus(sql, idle.id, 'idle');
    const failed = await newSession();
    await setAgentStatus(sql, failed.id, 'failed', 'earlier');
    await recoverAgentSessions(sql, 'restarted');
    const byId = new Map((await listAgentSessions(sql, chatId)).map((s) => [s.id, s]));
    expect(byId.get(running.id)).toMatchObject({ status: 'failed', error: 'restarted' });
    expect(byId.get(idle.id)).toMatchObject({ status: 'closed', error: null });
    expect(byId.get(failed.id)).toMatchObject({ status: 'failed', error: 'earlier' });
  });
});
