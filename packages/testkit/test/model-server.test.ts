import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUrl, startModelServer, wordTokens, type ModelServer } from '../src/index.ts';

let server: ModelServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startModelServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 });
});
afterAll(() => server.close());

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  const out = { content: '', reasoning: '', finish: '' as string | null, usage: 0 };
  for await (const c of stream) {
    const d = c.choices[0]?.delta as { content?: string; reasoning_content?: string } | undefined;
    out.content += d?.content ?? '';
    out.reasoning += d?.reasoning_content ?? '';
    out.finish = c.choices[0]?.finish_reason ?? out.finish;
    out.usage = c.usage?.completion_tokens ?? out.usage;
  }
  return out;
}

describe('scripted model server', () => {
  it('lists its models with their context length', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['scripted-small', 'scripted-large']);
    expect((page.data[0] as unknown as { context_length: number }).context_length).toBe(8192);
  });

  it('streams scripted content and reasoning deltas in order, with usage', async () => {
    server.setScript([{ reasoning: ['let me ', 'think'], content: wordTokens(5) }]);
    const out = await collect(
      await client.chat.completions.create({
        model: 'scripted-small',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(out).toEqual({
      content: 't0 t1 t2 t3 t4 ',
      reasoning: 'let me think',
      finish: 'stop',
      usage: 7,
    });
  });

  it('a hold sends the first content deltas and keeps the rest until it is released', async () => {
    let release!: () => void;
    const until = new Promise<void>((r) => (release = r));
    server.setScript([{ content: ['a ', 'b ', 'c'], hold: { after: 2, until } }]);
    const stream = await client.chat.completions.create({
      model: 'scripted-small',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const it = stream[Symbol.asyncIterator]();
    let text = '';
    while (text !== 'a b ') text += (await it.next()).value?.choices[0]?.delta.content ?? '';
    // Held: the next chunk is not there yet (unheld, it would already be read and waiting).
    let next = false;
    const pending = it.next().then((r) => ((next = true), r));
    await new Promise((r) => setImmediate(r));
    expect(next).toBe(false);
    release();
    text += (await pending).value?.choices[0]?.delta.content ?? '';
    expect(text).toBe('a b c');
    for (let r = await it.next(); !r.done; r = await it.next());
  });

  it('echoes the last user message when not streaming', async () => {
    server.setScript((req) => ({ content: [`echo:${JSON.stringify(req.messages.at(-1))}`] }));
    const res = await client.chat.completions.create({
      model: 'scripted-small',
      messages: [{ role: 'user', content: 'ping' }],
    });
    expect(res.choices[0]?.message.content).toBe('echo:{"role":"user","content":"ping"}');
  });

  it('streams tool calls with finish_reason tool_calls', async () => {
    server.setScript([{ toolCalls: [{ name: 'read_file', arguments: '{"path":"a.ts"}' }] }]);
    const res = await client.chat.completions.create({
      model: 'scripted-small',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(res.choices[0]?.message.tool_calls?.[0]).toMatchObject({
      function: { name: 'read_file', arguments: '{"path":"a.ts"}' },
    });
  });

  it('fails with HTTP 500 when told to', async () => {
    server.setScript([{ fail: 'http500' }]);
    await expect(
      client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 500 });
  });

  it('sends malformed SSE that the client cannot parse', async () => {
    server.setScript([{ fail: 'malformed', content: wordTokens(3) }]);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    await expect(collect(stream)).rejects.toThrow();
  });

  it('cuts a stream in the middle: no finish reason arrives', async () => {
    server.setScript([{ fail: 'cut', cutAfter: 3, content: wordTokens(10) }]);
    const stream = await client.chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    const out = await collect(stream).catch(() => null);
    expect(out?.finish ?? null).toBeNull();
  });

  it('gives a URL whose connections are refused', async () => {
    const dead = new OpenAI({ baseURL: await refusedUrl(), apiKey: 'x', maxRetries: 0 });
    await expect(dead.models.list()).rejects.toThrow(/Connection error/);
  });
});
