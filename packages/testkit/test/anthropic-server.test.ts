import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasToolResult,
  lastUserTextOf,
  startAnthropicServer,
  type AnthropicServer,
} from '../src/index.ts';

let server: AnthropicServer;
beforeAll(async () => {
  server = await startAnthropicServer();
});
afterAll(() => server.close());

type Sse = { event: string; data: { type: string; [key: string]: unknown } };

async function post(body: object, query = ''): Promise<Response> {
  return fetch(`${server.url}/v1/messages${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-test' },
    body: JSON.stringify({ model: 'claude-test', max_tokens: 100, ...body }),
  });
}

/** The SSE events of a streamed reply, each with its `event:` name and parsed data. */
async function events(res: Response): Promise<Sse[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '{}';
      return { event, data: JSON.parse(data) as Sse['data'] };
    });
}

const user = (text: string) => ({ messages: [{ role: 'user', content: text }] });

describe('scripted Anthropic server', () => {
  it('answers HEAD / with 200', async () => {
    expect((await fetch(server.url, { method: 'HEAD' })).status).toBe(200);
  });

  it('streams text in the Messages wire format, also under ?beta=true', async () => {
    server.setScript([
      { content: ['Hel', 'lo'], usage: { prompt_tokens: 7, completion_tokens: 2 } },
    ]);
    const res = await post({ ...user('hi'), stream: true }, '?beta=true');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const list = await events(res);
    expect(list.every((e) => e.event === e.data.type)).toBe(true);
    expect(list.map((e) => e.data.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(
      list.filter((e) => e.data.type === 'content_block_delta').map((e) => e.data.delta),
    ).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
    ]);
    expect(list[0]?.data.message).toMatchObject({ role: 'assistant', model: 'claude-test' });
    expect(list[5]?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 2 },
    });
  });

  it('streams a tool call as a tool_use block whose input arrives as input_json_delta', async () => {
    const args = JSON.stringify({ file_path: '/tmp/x.txt', content: 'hello\n' });
    server.setScript([{ toolCalls: [{ name: 'Write', arguments: args }] }]);
    const list = await events(await post({ ...user('write it'), stream: true }));
    const start = list.find((e) => e.data.type === 'content_block_start');
    expect(start?.data.content_block).toMatchObject({ type: 'tool_use', name: 'Write', input: {} });
    const json = list
      .filter((e) => e.data.type === 'content_block_delta')
      .map((e) => (e.data.delta as { type: string; partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ file_path: '/tmp/x.txt', content: 'hello\n' });
    const delta = list.find((e) => e.data.type === 'message_delta');
    expect(delta?.data.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('streams reasoning as a thinking block before the text', async () => {
    server.setScript([{ reasoning: ['hmm'], content: ['ok'] }]);
    const list = await events(await post({ ...user('think'), stream: true }));
    const blocks = list
      .filter((e) => e.data.type === 'content_block_start')
      .map((e) => (e.data.content_block as { type: string }).type);
    expect(blocks).toEqual(['thinking', 'text']);
    expect(list.map((e) => e.data.delta)).toContainEqual({
      type: 'thinking_delta',
      thinking: 'hmm',
    });
  });

  it('answers a whole message when not streaming', async () => {
    server.setScript([
      { content: ['a', 'b'], toolCalls: [{ name: 'Bash', arguments: '{"command":"ls"}' }] },
    ]);
    const body = (await (await post(user('both'))).json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'ab' },
        { type: 'tool_use', name: 'Bash', input: { command: 'ls' } },
      ],
    });
  });

  it('records each request and hands the script its index', async () => {
    server.setScript((req, i) => ({ content: [`#${i}:${lastUserTextOf(req)}`] }));
    const before = server.requests.length;
    const body = (await (await post(user('ping'))).json()) as { content: { text: string }[] };
    expect(body.content[0]?.text).toBe(`#${before}:ping`);
    expect(server.requests.at(-1)?.messages).toEqual([{ role: 'user', content: 'ping' }]);
  });

  it('tells a follow-up carrying a tool result from a first request', () => {
    const first = { model: 'm', messages: [{ role: 'user', content: 'go' }] };
    const followUp = {
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Write', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
    };
    expect([hasToolResult(first), hasToolResult(followUp)]).toEqual([false, true]);
    expect(lastUserTextOf(followUp)).toBe('');
  });

  it('answers 500 with an Anthropic error body when scripted to fail', async () => {
    server.setScript([{ fail: 'http500' }]);
    const res = await post({ ...user('x'), stream: true });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'scripted internal error' },
    });
  });
});
