import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatList, ChatSnapshot, Chat } from '@boocode/protocol';
import { wordTokens, type Reply } from '@boocode/testkit';
import { partText, startHarness, textOf, TOKEN, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function newChat(title?: string): Promise<Chat> {
  const r = await h.api<Chat>('POST', '/api/chats', title ? { title } : {});
  expect(r.status).toBe(201);
  return r.body;
}

async function snapshot(chatId: string): Promise<ChatSnapshot> {
  return (await h.api<ChatSnapshot>('GET', `/api/chats/${chatId}`)).body;
}

async function send(chatId: string, content: string, model?: string): Promise<string> {
  const r = await h.api<{ messageId: string }>('POST', `/api/chats/${chatId}/messages`, {
    content,
    model,
  });
  expect(r.status).toBe(202);
  return r.body.messageId;
}

describe('chat replies', () => {
  it('streams a reply over the socket and stores it with its usage', async () => {
    h.model.setScript([
      { content: ['Hello', ' there', '!'], usage: { prompt_tokens: 7, completion_tokens: 3 } },
    ]);
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const id = await send(chat.id, 'hi');
    await ws.waitForFinish(id);
    expect(textOf(ws.events(chat.id), id)).toBe('Hello there!');
    const snap = await snapshot(chat.id);
    expect(snap.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(snap.messages[1]).toMatchObject({
      parts: [{ type: 'text', text: 'Hello there!' }],
      usage: { promptTokens: 7, completionTokens: 3 },
      model: 'scripted-small',
    });
    expect(snap.seq).toBe(ws.events(chat.id).at(-1)!.seq);
    expect(snap.chat.title).toBe('hi');
    ws.close();
  });

  it('sends the earlier turns to the model', async () => {
    h.model.setScript((req) => ({ content: [`${req.messages.length} turns`] }));
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    await ws.waitForFinish(await send(chat.id, 'one'));
    const second = await send(chat.id, 'two');
    await ws.waitForFinish(second);
    expect(h.model.requests.at(-1)!.messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: '3 turns'.replace('3', '1') },
      { role: 'user', content: 'two' },
    ]);
    ws.close();
  });

  it('resumes a 2,000-token reply after a reconnect with every token exactly once', async () => {
    const tokens = wordTokens(2000);
    h.model.setScript([{ content: tokens, delayMs: 1 }]);
    const chat = await newChat();
    const first = await WsClient.open(h);
    first.subscribe(chat.id, 0);
    const id = await send(chat.id, 'long');
    await first.waitForText(id, 't500 ');
    first.close();
    const lastSeq = first.events(chat.id).at(-1)!.seq;
    const before = textOf(first.events(chat.id), id);

    const second = await WsClient.open(h);
    second.subscribe(chat.id, lastSeq);
    await second.waitForFinish(id);
    const all = before + textOf(second.events(chat.id), id);
    expect(all).toBe(tokens.join(''));
    const seqs = [...first.events(chat.id), ...second.events(chat.id)].map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    second.close();
  });

  it('gives a snapshot mid-reply that continues exactly from its seq', async () => {
    const tokens = wordTokens(600);
    h.model.setScript([{ content: tokens, delayMs: 1 }]);
    const chat = await newChat();
    const watcher = await WsClient.open(h);
    watcher.subscribe(chat.id, 0);
    const id = await send(chat.id, 'go');
    await watcher.waitForText(id, 't200 ');
    const snap = await snapshot(chat.id);
    expect(snap.running).toBe(true);
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, snap.seq);
    await ws.waitForFinish(id);
    const partial = partText(snap.messages.find((m) => m.id === id)!);
    expect(partial + textOf(ws.events(chat.id), id)).toBe(tokens.join(''));
    ws.close();
    watcher.close();
  });

  it('stops a reply and keeps what arrived', async () => {
    h.model.setScript([{ content: wordTokens(5000), delayMs: 2 }]);
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const id = await send(chat.id, 'go');
    await ws.waitForText(id, 't20 ');
    const aborted = h.model.nextAbort();
    expect((await h.api('POST', `/api/chats/${chat.id}/stop`)).status).toBe(204);
    await aborted;
    const fin = await ws.waitForFinish(id);
    expect(fin).toMatchObject({ status: 'stopped' });
    const snap = await snapshot(chat.id);
    const text = partText(snap.messages[1]!);
    expect(text).toBe(textOf(ws.events(chat.id), id));
    expect(text.startsWith('t0 t1 ')).toBe(true);
    expect(snap.messages[1]!.status).toBe('stopped');
    expect(snap.running).toBe(false);
    ws.close();
  });

  it('refuses a second message while a reply runs', async () => {
    h.model.setScript([{ content: wordTokens(3000), delayMs: 2 }]);
    const chat = await newChat();
    await send(chat.id, 'first');
    const r = await h.api('POST', `/api/chats/${chat.id}/messages`, { content: 'second' });
    expect(r).toMatchObject({ status: 409, body: { code: 'conflict' } });
    await h.api('POST', `/api/chats/${chat.id}/stop`);
  });

  it('regenerates the last reply, replacing it', async () => {
    h.model.setScript([{ content: ['first answer'] }, { content: ['second answer'] }]);
    h.model.requests.length = 0;
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const firstId = await send(chat.id, 'q');
    await ws.waitForFinish(firstId);
    const r = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/regenerate`, {});
    expect(r.status).toBe(202);
    await ws.waitForFinish(r.body.messageId);
    expect(
      ws
        .events(chat.id)
        .some((e) => e.type === 'chat.message.deleted' && e.messageIds.includes(firstId)),
    ).toBe(true);
    const snap = await snapshot(chat.id);
    expect(snap.messages.map((m) => partText(m))).toEqual(['q', 'second answer']);
    expect(h.model.requests[1]!.messages).toEqual([{ role: 'user', content: 'q' }]);
    ws.close();
  });

  it('edits an earlier message and resends from there', async () => {
    h.model.setScript((req) => ({ content: [`re:${String(req.messages.at(-1)!.content)}`] }));
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    await ws.waitForFinish(await send(chat.id, 'alpha'));
    await ws.waitForFinish(await send(chat.id, 'beta'));
    const first = (await snapshot(chat.id)).messages[0]!;
    const r = await h.api<{ messageId: string }>(
      'POST',
      `/api/chats/${chat.id}/messages/${first.id}/edit`,
      { content: 'gamma' },
    );
    expect(r.status).toBe(202);
    await ws.waitForFinish(r.body.messageId);
    const snap = await snapshot(chat.id);
    expect(snap.messages.map((m) => partText(m))).toEqual(['gamma', 're:gamma']);
    ws.close();
  });

  it('refuses to edit an assistant message', async () => {
    h.model.setScript([{ content: ['a'] }]);
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const id = await send(chat.id, 'x');
    await ws.waitForFinish(id);
    const r = await h.api('POST', `/api/chats/${chat.id}/messages/${id}/edit`, { content: 'y' });
    expect(r).toMatchObject({ status: 400, body: { code: 'bad_request' } });
    ws.close();
  });
});

describe('reasoning', () => {
  it('keeps reasoning_content apart from the answer', async () => {
    h.model.setScript([{ reasoning: ['Let me ', 'see.'], content: ['42'] }]);
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const id = await send(chat.id, 'q');
    await ws.waitForFinish(id);
    const snap = await snapshot(chat.id);
    expect(snap.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Let me see.' },
      { type: 'text', text: '42' },
    ]);
    ws.close();
  });

  it('splits <think> tags that arrive cut across chunks', async () => {
    h.model.setScript([{ content: ['<thi', 'nk>hmm, ', 'ok</th', 'ink>The', ' answer'] }]);
    const chat = await newChat();
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const id = await send(chat.id, 'q');
    await ws.waitForFinish(id);
    expect((await snapshot(chat.id)).messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'hmm, ok' },
      { type: 'text', text: 'The answer' },
    ]);
    ws.close();
  });
});

describe('a failing endpoint', () => {
  const cases: [string, Reply, RegExp][] = [
    ['answers HTTP 500', { fail: 'http500' }, /HTTP 500/],
    ['sends malformed SSE', { fail: 'malformed', content: ['a', 'b', 'c'] }, /could not be read/],
    ['cuts the stream', { fail: 'cut', cutAfter: 3, content: wordTokens(20) }, /closed/],
  ];
  for (const [name, reply, message] of cases) {
    it(`shows a clear error when it ${name}, keeping the question`, async () => {
      h.model.setScript([reply]);
      const chat = await newChat();
      const ws = await WsClient.open(h);
      ws.subscribe(chat.id, 0);
      const id = await send(chat.id, 'still here?');
      expect(await ws.waitForFinish(id)).toMatchObject({ status: 'error' });
      const snap = await snapshot(chat.id);
      expect(snap.messages[0]!.parts).toEqual([{ type: 'text', text: 'still here?' }]);
      const err = snap.messages[1]!.parts.find((p) => p.type === 'error');
      expect(err?.text).toMatch(message);
      ws.close();
    });
  }
});

describe('chat list', () => {
  it('renames, searches by title and by message text, and deletes', async () => {
    h.model.setScript([{ content: ['the zebra answer'] }]);
    const a = await newChat('Alpha plans');
    const b = await newChat('Beta notes');
    const ws = await WsClient.open(h);
    ws.subscribe(b.id, 0);
    await ws.waitForFinish(await send(b.id, 'tell me about quokkas'));

    const renamed = await h.api<Chat>('PATCH', `/api/chats/${a.id}`, { title: 'Orinoco plans' });
    expect(renamed.body.title).toBe('Orinoco plans');
    const byTitle = await h.api<{ chats: Chat[] }>('GET', '/api/chats?q=orinoco');
    expect(byTitle.body.chats.map((c) => c.id)).toEqual([a.id]);
    const byText = await h.api<{ chats: Chat[] }>('GET', '/api/chats?q=QUOKKA');
    expect(byText.body.chats.map((c) => c.id)).toEqual([b.id]);
    const percent = await h.api<{ chats: Chat[] }>('GET', '/api/chats?q=%25');
    expect(percent.body.chats).toEqual([]);

    expect((await h.api('DELETE', `/api/chats/${a.id}`)).status).toBe(204);
    expect((await h.api('GET', `/api/chats/${a.id}`)).status).toBe(404);
    expect(ws.frames.some((f) => f.type === 'chats.changed' && f.deletedId === a.id)).toBe(true);
    ws.close();
  });

  it('gives the text around a match for a chat found by its messages, not its title', async () => {
    h.model.setScript([{ content: ['fine'] }]);
    const byMessage = await newChat('Zoo notes');
    const byTitle = await newChat('Capybara care');
    const ws = await WsClient.open(h);
    ws.subscribe(byMessage.id, 0);
    const long = `${'lead '.repeat(40)}the **CAPYBARA**\nis \`large\`${' tail'.repeat(60)}`;
    await ws.waitForFinish(await send(byMessage.id, long));
    const found = await h.api<ChatList>('GET', '/api/chats?q=capybara');
    expect(found.body.chats.map((c) => c.id).sort()).toEqual([byMessage.id, byTitle.id].sort());
    const match = found.body.matches[byMessage.id]!;
    expect(match).toMatch(/^…(lead ){3,}the \*\*CAPYBARA\*\* is `large`( tail)+…$/);
    expect(match.length).toBeLessThanOrEqual(112);
    expect(found.body.matches[byTitle.id]).toBeUndefined();
    expect((await h.api<ChatList>('GET', '/api/chats')).body.matches).toEqual({});
    ws.close();
  });

  it('lists chats by their last message: a rename or another model does not move one', async () => {
    h.model.setScript([{ content: ['noted'] }]);
    const older = await newChat('Older talk');
    const newer = await newChat('Newer talk');
    const ws = await WsClient.open(h);
    ws.subscribe(newer.id, 0);
    await ws.waitForFinish(await send(newer.id, 'hello'));
    const order = async () =>
      (await h.api<{ chats: Chat[] }>('GET', '/api/chats')).body.chats
        .map((c) => c.id)
        .filter((id) => id === older.id || id === newer.id);
    expect(await order()).toEqual([newer.id, older.id]);

    await h.api('PATCH', `/api/chats/${older.id}`, { title: 'Older talk, renamed' });
    await h.api('PATCH', `/api/chats/${older.id}`, { model: 'other-model' });
    expect(await order()).toEqual([newer.id, older.id]);

    ws.subscribe(older.id, 0);
    await ws.waitForFinish(await send(older.id, 'back to this'));
    expect(await order()).toEqual([older.id, newer.id]);
    ws.close();
  });

  it('rejects bad input with a 400 naming the field, and changes nothing', async () => {
    const chat = await newChat('Keep me');
    const r = await h.api<{ code: string; message: string }>('PATCH', `/api/chats/${chat.id}`, {
      title: '  ',
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('bad_request');
    expect(r.body.message).toMatch(/title/);
    expect((await snapshot(chat.id)).chat.title).toBe('Keep me');
    expect((await h.api('GET', '/api/chats/not-a-uuid')).status).toBe(400);
    expect((await h.api('POST', `/api/chats/${chat.id}/messages`, { content: '' })).status).toBe(
      400,
    );
    expect((await snapshot(chat.id)).messages).toEqual([]);
  });
});

describe('long chats', () => {
  it('gives the newest messages in the snapshot and older ones a page at a time', async () => {
    const chat = await newChat('Long one');
    const positions = Array.from({ length: 250 }, (_, i) => i);
    await h.db.sql`
      insert into messages (chat_id, position, role, status, parts)
      select ${chat.id}, p, 'user', 'complete', jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'm' || p))
      from unnest(${positions}::int[]) p`;
    const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}?limit=100`)).body;
    expect(snap.messages.map((m) => m.position)).toEqual(positions.slice(150));
    expect(snap.hasMore).toBe(true);
    type Page = { messages: ChatSnapshot['messages']; hasMore: boolean };
    const page = (await h.api<Page>('GET', `/api/chats/${chat.id}/messages?before=150&limit=100`))
      .body;
    expect(page.messages.map((m) => m.position)).toEqual(positions.slice(50, 150));
    expect(page.hasMore).toBe(true);
    const last = (await h.api<Page>('GET', `/api/chats/${chat.id}/messages?before=50&limit=100`))
      .body;
    expect(last.messages.map((m) => partText(m))).toEqual(
      positions.slice(0, 50).map((p) => `m${p}`),
    );
    expect(last.hasMore).toBe(false);
  });
});

describe('fork and export', () => {
  it('forks a chat from a message into a new chat with copies up to it', async () => {
    h.model.setScript((req) => ({ content: [`re:${String(req.messages.at(-1)!.content)}`] }));
    const chat = await newChat('Original');
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    await ws.waitForFinish(await send(chat.id, 'one'));
    await ws.waitForFinish(await send(chat.id, 'two'));
    ws.close();
    const original = await snapshot(chat.id);
    const firstReply = original.messages[1]!;
    const r = await h.api<Chat>('POST', `/api/chats/${chat.id}/fork`, { messageId: firstReply.id });
    expect(r.status).toBe(201);
    expect(r.body.title).toBe('Fork of Original');
    const fork = await snapshot(r.body.id);
    expect(fork.messages.map(partText)).toEqual(['one', 're:one']);
    expect(fork.messages.map((m) => m.id)).not.toContain(firstReply.id);
    // The original is untouched, and the fork goes on by itself.
    expect((await snapshot(chat.id)).messages).toHaveLength(4);
    const ws2 = await WsClient.open(h);
    ws2.subscribe(r.body.id, fork.seq);
    await ws2.waitForFinish(await send(r.body.id, 'three'));
    ws2.close();
    expect((await snapshot(r.body.id)).messages.map(partText)).toEqual([
      'one',
      're:one',
      'three',
      're:three',
    ]);
  });

  it('refuses to fork from a message of another chat', async () => {
    const a = await newChat('A');
    const b = await newChat('B');
    h.model.setScript([{ content: ['x'] }]);
    const ws = await WsClient.open(h);
    ws.subscribe(a.id, 0);
    const id = await send(a.id, 'hello');
    await ws.waitForFinish(id);
    ws.close();
    const r = await h.api('POST', `/api/chats/${b.id}/fork`, { messageId: id });
    expect(r.status).toBe(404);
  });

  it('exports a chat as Markdown and as JSON, as downloads', async () => {
    h.model.setScript([{ reasoning: ['thinking'], content: ['**bold** answer'] }]);
    const chat = await newChat('Export me please');
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    await ws.waitForFinish(await send(chat.id, 'question?'));
    ws.close();
    const md = await fetch(`${h.base}/api/chats/${chat.id}/export?format=markdown`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(md.headers.get('content-type')).toMatch(/text\/markdown/);
    expect(md.headers.get('content-disposition')).toBe(
      'attachment; filename="export-me-please.md"',
    );
    const text = await md.text();
    expect(text).toMatch(/^# Export me please\n/);
    expect(text).toContain('## You\n\nquestion?');
    expect(text).toContain('<summary>Reasoning</summary>\n\nthinking');
    expect(text).toContain('**bold** answer');
    const json = await fetch(`${h.base}/api/chats/${chat.id}/export?format=json`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const body = (await json.json()) as { chat: Chat; messages: { parts: unknown[] }[] };
    expect(body.chat.title).toBe('Export me please');
    expect(body.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'thinking' },
      { type: 'text', text: '**bold** answer' },
    ]);
    expect((await h.api('GET', `/api/chats/${chat.id}/export?format=pdf`)).status).toBe(400);
  });
});
