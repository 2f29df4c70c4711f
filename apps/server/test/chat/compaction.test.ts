import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot, Message } from '@boocode/protocol';
import { lastUserText, startModelServer, type ChatRequest, type Reply } from '@boocode/testkit';
import { rejectSummary, transcript } from '../../src/chat/compaction.ts';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

let h: Harness;

const isSummaryRequest = (req: ChatRequest) =>
  req.messages.some((m) => m.role === 'system' && String(m.content).startsWith('You compact'));
const systemOf = (req: ChatRequest) =>
  req.messages
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content))
    .join('\n');

/** Answers each question with "answer to <question>", and a summary when asked for one. */
function script(summary: Reply = { content: ['SUMMARY: the user asked q1 and q2.'] }) {
  return (req: ChatRequest): Reply =>
    isSummaryRequest(req) ? summary : { content: [`answer to ${lastUserText(req)}`] };
}

beforeAll(async () => {
  h = await startHarness(
    {},
    { model: await startModelServer({ models: [{ id: 'small-ctx', context_length: 2000 }] }) },
  );
});
afterAll(() => h.close());

async function newChat(model?: string): Promise<Chat> {
  return (await h.api<Chat>('POST', '/api/chats', model ? { model } : {})).body;
}

async function run(chat: Chat, path: string, body: unknown): Promise<ChatSnapshot> {
  const ws = await WsClient.open(h);
  ws.subscribe(chat.id, 0);
  const r = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/${path}`, body);
  expect(r.status).toBe(202);
  await ws.waitForFinish(r.body.messageId);
  ws.close();
  return (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
}
const ask = (chat: Chat, content: string) => run(chat, 'messages', { content });
const compact = (chat: Chat) => run(chat, 'compact', {});
const compaction = (m: Message | undefined) => m?.parts.find((p) => p.type === 'compaction');

describe('compaction on demand', () => {
  it('summarises the older turns, keeps the last two verbatim and all messages in the database', async () => {
    h.model.setScript(script());
    const chat = await newChat();
    for (const q of ['q1', 'q2', 'q3', 'q4']) await ask(chat, q);
    const snap = await compact(chat);

    const summaryReq = h.model.requests.at(-1)!;
    expect(isSummaryRequest(summaryReq)).toBe(true);
    const asked = String(summaryReq.messages.at(-1)!.content);
    expect(asked).toContain('User: q1');
    expect(asked).toContain('Assistant: answer to q2');
    expect(asked).not.toContain('q3');

    const marker = snap.messages.at(-1)!;
    expect(marker).toMatchObject({ role: 'system', status: 'complete' });
    expect(compaction(marker)).toMatchObject({
      summary: 'SUMMARY: the user asked q1 and q2.',
      summarised: 4,
      auto: false,
      keptFrom: snap.messages.find((m) => m.parts.some((p) => 'text' in p && p.text === 'q3'))!.id,
    });
    // The originals stay.
    expect(snap.messages.filter((m) => m.role === 'user')).toHaveLength(4);

    await ask(chat, 'q5');
    const next = h.model.requests.at(-1)!;
    expect(systemOf(next)).toContain('SUMMARY: the user asked q1 and q2.');
    expect(next.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'q3',
      'q4',
      'q5',
    ]);
  });

  it('folds an earlier summary into the next one', async () => {
    h.model.setScript(script({ content: ['FIRST'] }));
    const chat = await newChat();
    for (const q of ['a1', 'a2', 'a3']) await ask(chat, q);
    await compact(chat);
    await ask(chat, 'a4');
    h.model.setScript(script({ content: ['SECOND'] }));
    const snap = await compact(chat);
    const asked = String(h.model.requests.at(-1)!.messages.at(-1)!.content);
    expect(asked).toContain('FIRST');
    expect(asked).toContain('User: a2');
    expect(asked).not.toContain('User: a1');
    expect(compaction(snap.messages.at(-1))).toMatchObject({ summary: 'SECOND', summarised: 4 });
    await ask(chat, 'a5');
    const req = h.model.requests.at(-1)!;
    expect(systemOf(req)).toContain('SECOND');
    expect(systemOf(req)).not.toContain('FIRST');
    expect(req.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'a3',
      'a4',
      'a5',
    ]);
  });

  it('rejects a summary that was cut off, and the chat goes on unchanged', async () => {
    h.model.setScript(script({ content: ['half a summ'], finishReason: 'length' }));
    const chat = await newChat();
    for (const q of ['b1', 'b2', 'b3']) await ask(chat, q);
    const snap = await compact(chat);
    const marker = snap.messages.at(-1)!;
    expect(marker.status).toBe('error');
    expect(marker.parts.find((p) => p.type === 'error')).toMatchObject({
      text: expect.stringMatching(/cut off/),
    });
    h.model.setScript(script());
    await ask(chat, 'b4');
    const req = h.model.requests.at(-1)!;
    expect(req.messages.filter((m) => m.role === 'user')).toHaveLength(4);
    expect(systemOf(req)).not.toContain('half a summ');
  });

  it('rejects a summary made only of reasoning', async () => {
    h.model.setScript(script({ reasoning: ['let me think'], content: [] }));
    const chat = await newChat();
    for (const q of ['c1', 'c2', 'c3']) await ask(chat, q);
    const marker = (await compact(chat)).messages.at(-1)!;
    expect(marker.status).toBe('error');
    expect(JSON.stringify(marker.parts)).toMatch(/empty/);
  });

  it('refuses when there is nothing old enough to summarise', async () => {
    h.model.setScript(script());
    const chat = await newChat();
    await ask(chat, 'only');
    const r = await h.api<{ message: string }>('POST', `/api/chats/${chat.id}/compact`, {});
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/Nothing to compact/);
  });
});

describe('automatic compaction', () => {
  it('compacts after a reply that filled the context window past the threshold', async () => {
    const chat = await newChat('small-ctx');
    h.model.setScript(script());
    await ask(chat, 'd1');
    await ask(chat, 'd2');
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    // 1,900 of 2,000 tokens used: past 80%.
    h.model.setScript((req) =>
      isSummaryRequest(req)
        ? { content: ['AUTO SUMMARY'] }
        : { content: ['big answer'], usage: { prompt_tokens: 1800, completion_tokens: 100 } },
    );
    const r = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
      content: 'd3',
    });
    await ws.waitForFinish(r.body.messageId);
    const created = await ws.waitFor(
      (f) => f.type === 'chat.message.created' && f.message.role === 'system',
    );
    const markerId = created.type === 'chat.message.created' ? created.message.id : '';
    await ws.waitForFinish(markerId);
    ws.close();
    const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
    expect(compaction(snap.messages.at(-1))).toMatchObject({
      summary: 'AUTO SUMMARY',
      auto: true,
      tokensBefore: 1900,
    });
  });
});

describe('the summariser input', () => {
  it('prunes old tool output to its head', () => {
    const text = transcript([
      {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            callId: 'c',
            name: 'read_file',
            args: '{"path":"a"}',
            state: 'done',
          },
          { type: 'tool_result', callId: 'c', name: 'read_file', ok: true, text: 'x'.repeat(5000) },
        ],
      } as Message,
    ]);
    expect(text).toContain('read_file({"path":"a"})');
    expect(text).toContain('4600 more characters pruned');
    expect(text.length).toBeLessThan(1000);
  });

  it('rejects empty, cut-off, tool-call and reasoning summaries', () => {
    expect(rejectSummary('fine summary', 'stop', 0)).toBeNull();
    expect(rejectSummary('   ', 'stop', 0)).toMatch(/empty/);
    expect(rejectSummary('text', 'length', 0)).toMatch(/cut off/);
    expect(rejectSummary('', 'tool_calls', 1)).toMatch(/tool/);
    expect(rejectSummary('<think>hmm</think>', 'stop', 0)).toMatch(/reasoning/);
    expect(rejectSummary('{"name": "read_file", "arguments": {}}', 'stop', 0)).toMatch(/tool call/);
  });
});
