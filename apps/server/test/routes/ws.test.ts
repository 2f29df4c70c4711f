import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatEvent, ModelList } from '@boocode/protocol';
import {
  startModelServer,
  refusedUrl,
  type ModelServer,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { startHarness, textOf, WsClient, type Harness } from '../helpers.ts';

let db: TestDatabase;
let model: ModelServer;
let h: Harness;
beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer();
  h = await startHarness({}, { db, model, slowConsumerBytes: 64 * 1024 });
});
afterAll(async () => {
  await h.close();
  await model.close();
  await db.drop();
});

/**
 * The events of a chat after `afterSeq` up to `messageId`'s finish, read as the browser
 * reads them: a socket dropped for falling behind (on a loaded machine the 64 KiB limit
 * of this harness is soon reached) is opened again from the last seq it saw.
 */
async function followToFinish(
  chatId: string,
  afterSeq: number,
  messageId: string,
): Promise<ChatEvent[]> {
  const seen: ChatEvent[] = [];
  for (;;) {
    const c = await WsClient.open(h);
    c.subscribe(chatId, seen.at(-1)?.seq ?? afterSeq);
    const finished = await Promise.race([
      c.waitForFinish(messageId).then(() => true),
      c.closed.then(() => false),
    ]);
    seen.push(...c.events(chatId));
    c.close();
    if (finished) return seen;
  }
}

describe('the socket', () => {
  it('drops a consumer that stops reading, and it resumes by seq with nothing lost', async () => {
    // 12 MB: more than the kernel's socket buffers hold, so the server's own buffer grows.
    const words = Array.from({ length: 3000 }, (_, i) => `word-number-${i}-${'x'.repeat(4000)} `);
    const chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
    const slow = await WsClient.open(h);
    slow.subscribe(chat.id, 0);
    // A first reply seen means the subscription follows live events: otherwise, on a loaded
    // machine, it could still be replaying when the flood begins, and a replay paces itself
    // below the limit (then waits for a drain that, with nobody reading, never comes).
    model.setScript([{ content: ['ready'], delayMs: 0 }]);
    const first = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
        content: 'first',
      })
    ).body;
    await slow.waitForFinish(first.messageId);
    model.setScript([{ content: words, delayMs: 0 }]);
    // Stop reading: the server's buffer for this socket fills up.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const { messageId } = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
        content: 'flood',
      })
    ).body;
    await followToFinish(chat.id, 0, messageId);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(4008);

    const lastSeq = slow.events(chat.id).at(-1)?.seq ?? 0;
    const rest = await followToFinish(chat.id, lastSeq, messageId);
    expect(textOf(slow.events(chat.id), messageId) + textOf(rest, messageId)).toBe(words.join(''));
  });

  it('drops a socket as soon as a frame takes its buffer past the limit, though none follows', async () => {
    // One 8 MB delta: more than one write puts in the kernel's socket buffers (Linux's
    // default send buffer is 4 MB at most), so most of it stays in the server's buffer, far
    // past the limit. The replay then waits for the socket to drain and sends nothing more:
    // a check made only before the next frame would never be made.
    const big = 'y'.repeat(8 * 1024 * 1024);
    model.setScript([{ content: [big], delayMs: 0 }]);
    const chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
    const { messageId } = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
        content: 'one big delta',
      })
    ).body;
    // The reply is over (its events wait in the chat's log): what follows is a replay.
    await followToFinish(chat.id, 0, messageId);
    const late = await WsClient.open(h);
    late.subscribe(chat.id, 0);
    const outcome = await Promise.race([
      late.closed.then(({ code }) => code),
      late.waitForFinish(messageId).then(() => 'finished without a drop'),
    ]);
    expect(outcome).toBe(4008);
    expect(textOf(late.events(chat.id), messageId)).toBe(big);

    const rest = await followToFinish(chat.id, late.events(chat.id).at(-1)!.seq, messageId);
    expect(rest.at(-1)).toMatchObject({ type: 'chat.message.finished', messageId });
  });

  it('answers a malformed frame with an error and stays open', async () => {
    const ws = await WsClient.open(h);
    ws.ws.send('{"type":"chat.subscribe","chatId":"nope"}');
    expect(await ws.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'bad_request' });
    ws.ws.send('not json');
    await ws.waitFor(
      (f) => f.type === 'error' && ws.frames.filter((x) => x.type === 'error').length === 2,
    );
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
    ws.close();
  });

  it('tells a subscriber of a chat that does not exist', async () => {
    const ws = await WsClient.open(h);
    ws.subscribe('00000000-0000-4000-8000-000000000000', 0);
    expect(await ws.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'not_found' });
    ws.close();
  });
});

describe('models', () => {
  it('lists the endpoint models with their context length', async () => {
    const r = await h.api<ModelList>('GET', '/api/models');
    expect(r.body).toEqual({
      models: [
        { id: 'scripted-small', contextLength: 8192 },
        { id: 'scripted-large', contextLength: null },
      ],
      error: null,
    });
  });

  it('says why when the endpoint is down, without failing the request', async () => {
    const down = await startHarness({ LLM_BASE_URL: await refusedUrl() }, { db, model });
    const r = await down.api<ModelList>('GET', '/api/models');
    expect(r.status).toBe(200);
    expect(r.body.models).toEqual([]);
    expect(r.body.error).toMatch(/Could not reach the model endpoint .* connection refused/);
    const chat = (await down.api<Chat>('POST', '/api/chats', {})).body;
    const send = await down.api<{ code: string; message: string }>(
      'POST',
      `/api/chats/${chat.id}/messages`,
      {
        content: 'hi',
      },
    );
    expect(send.status).toBe(502);
    expect(send.body.message).toMatch(/connection refused/);
    await down.close();
  });
});
