import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentServerFrame, InboxList, type AgentSession } from '@boocode/protocol';
import { listAgentEvents } from '@boocode/db';
import { eventOf, eventsOf, startHarness, statusOf, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

async function start(chatId: string): Promise<AgentSession> {
  const res = await h.api<{ session: AgentSession }>('POST', '/api/coder/sessions', {
    chatId,
    provider: 'qwen',
    prompt: 'go',
  });
  expect(res.status).toBe(201);
  return res.body.session;
}

describe('permission requests', () => {
  it('reach the inbox socket, are answered once through the route, and the agent gets the pick', async () => {
    const { chatId } = await h.project({});
    const inbox = await h.socket('/api/coder/inbox/ws');
    await inbox.until(() => true); // the list on connect
    let answer: unknown = null;
    h.script.turn = async ({ ask }) => {
      answer = await ask('Write a.txt', ['allow', 'reject']);
      return 'end_turn';
    };
    const s = await start(chatId);
    const asked = await eventOf(h, s.id, 'permission.request');
    const { permissionId } = asked.event;
    expect(asked.event).toMatchObject({ title: 'Write a.txt', toolCallId: 'call-1' });
    const listed = await inbox.until((m) =>
      InboxList.parse(m).items.some(
        (i) => i.kind === 'permission' && i.permissionId === permissionId,
      ),
    );
    expect(InboxList.parse(inbox.messages[listed]).items).toEqual([
      expect.objectContaining({ permissionId, sessionId: s.id, chatId, provider: 'qwen' }),
    ]);

    const offered = await h.api('POST', `/api/coder/permissions/${permissionId}`, {
      optionId: 'always',
    });
    expect(offered.status).toBe(400);
    const ok = await h.api('POST', `/api/coder/permissions/${permissionId}`, { optionId: 'allow' });
    expect(ok).toEqual({ status: 200, body: { ok: true } });
    const twice = await h.api('POST', `/api/coder/permissions/${permissionId}`, {
      optionId: 'reject',
    });
    expect(twice.status).toBe(409);

    await statusOf(h, s.id, 'idle');
    expect(answer).toEqual({ optionId: 'allow' });
    expect(await eventsOf(h, s.id)).toContainEqual({
      type: 'permission.resolved',
      permissionId,
      optionId: 'allow',
    });
    await inbox.until((m) => InboxList.parse(m).items.length === 0, listed + 1);
    expect((await h.api<InboxList>('GET', '/api/coder/inbox')).body.items).toEqual([]);
  });

  it('answering an unknown request is 404', async () => {
    const res = await h.api('POST', '/api/coder/permissions/00000000-0000-4000-8000-000000000000', {
      optionId: 'allow',
    });
    expect(res.status).toBe(404);
  });

  it('a crash cancels the pending requests of the session', async () => {
    const { chatId } = await h.project({});
    let die = (_: Error) => {};
    h.script.turn = ({ ask }) => {
      void ask('Run make');
      return new Promise((_, reject) => (die = reject));
    };
    const s = await start(chatId);
    const asked = await eventOf(h, s.id, 'permission.request');
    die(new Error('exit 137'));
    await statusOf(h, s.id, 'failed');
    expect(await eventsOf(h, s.id)).toContainEqual({
      type: 'permission.resolved',
      permissionId: asked.event.permissionId,
      optionId: null,
    });
    const late = await h.api('POST', `/api/coder/permissions/${asked.event.permissionId}`, {
      optionId: 'allow',
    });
    expect(late.status).toBe(409);
  });
});

describe('the session socket', () => {
  it('replays after afterSeq, then goes live with no gap and no duplicate', async () => {
    const { chatId } = await h.project({});
    let step = (_: string) => {};
    h.script.turn = async ({ sink }) => {
      for (let i = 0; i < 3; i++) {
        sink.emit({
          type: 'tool.call',
          toolCallId: `a${i}`,
          title: 't',
          kind: 'read',
          status: 'completed',
        });
      }
      // Wait for the test to connect, then stream more while the socket replays.
      await new Promise<string>((r) => (step = r));
      for (let i = 0; i < 50; i++) {
        sink.emit({
          type: 'tool.call',
          toolCallId: `b${i}`,
          title: 't',
          kind: 'read',
          status: 'completed',
        });
      }
      return 'end_turn';
    };
    const s = await start(chatId);
    await eventOf(h, s.id, 'tool.call', 3);
    const ws = await h.socket(`/api/coder/sessions/${s.id}/ws?afterSeq=2`);
    step('go');
    const isIdle = (m: unknown) => {
      const f = AgentServerFrame.parse(m);
      return f.type === 'session' && f.session.status === 'idle';
    };
    const idleAt = await ws.until(isIdle);
    expect(AgentServerFrame.parse(ws.messages[0]).type).toBe('session');
    // Frames published again (as a subscriber that read late would see them) are not resent.
    h.agents.bus.frames(await listAgentEvents(h.db.sql, s.id));
    h.script.turn = async () => 'end_turn';
    const more = await h.api('POST', `/api/coder/sessions/${s.id}/prompt`, { text: 'more' });
    expect(more.status).toBe(200);
    await ws.until(isIdle, idleAt + 1);
    const seqs = ws.frames().map((f) => f.seq);
    const { lastSeq } = (
      await h.api<{ session: AgentSession }>('GET', `/api/coder/sessions/${s.id}/events`)
    ).body.session;
    expect(seqs).toEqual(Array.from({ length: lastSeq - 2 }, (_, i) => i + 3));
  });

  it('closes with 4404 for a session that does not exist', async () => {
    const ws = await h.socket('/api/coder/sessions/00000000-0000-4000-8000-000000000000/ws');
    const code = await new Promise<number>((resolve) => ws.ws.on('close', resolve));
    expect(code).toBe(4404);
  });

  it('is refused without the Origin check passing', async () => {
    const { chatId } = await h.project({});
    const s = await start(chatId);
    const WebSocket = (await import('ws')).default;
    const ws = new WebSocket(`${h.base.replace('http', 'ws')}/api/coder/sessions/${s.id}/ws`, {
      origin: 'http://evil.example',
      headers: { authorization: 'Bearer test-token-0123456789abcdefghijklmnopqrstuvwxyz' },
    });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });
});
