import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Reply } from './model-server.ts';

/** A content block of an Anthropic Messages request (text, tool_use, tool_result, ...). */
export type AnthropicBlock = { type: string; [key: string]: unknown };

export interface MessagesRequest {
  model: string;
  stream?: boolean;
  system?: unknown;
  messages: { role: string; content: string | AnthropicBlock[] }[];
  tools?: { name: string }[];
  [key: string]: unknown;
}

export type MessagesScript = (req: MessagesRequest, index: number) => Reply;

export interface AnthropicServer {
  /** Base URL, without `/v1` (what ANTHROPIC_BASE_URL takes). */
  url: string;
  port: number;
  /** Every /v1/messages request received, in order. */
  requests: MessagesRequest[];
  setScript(script: MessagesScript | Reply[]): void;
  close(): Promise<void>;
}

/** The text of a request's last user message: its text blocks, not its tool results. */
export function lastUserTextOf(req: MessagesRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((b) => (b.type === 'text' ? String(b.text) : '')).join('');
}

/** True when a request carries a tool result: the model is called back after a tool ran. */
export function hasToolResult(req: MessagesRequest): boolean {
  return req.messages.some(
    (m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'),
  );
}

const echo: MessagesScript = (req) => ({ content: ['You said: ', lastUserTextOf(req)] });

function toScript(s: MessagesScript | Reply[]): MessagesScript {
  if (typeof s === 'function') return s;
  return (_req, i) => s[Math.min(i, s.length - 1)] ?? {};
}

/**
 * A scripted Anthropic Messages server: `POST /v1/messages` (also `?beta=true`), streaming in
 * the real SSE wire format or not, and `HEAD /` (a reachability check some agents make). Replies
 * are the OpenAI server's {@link Reply}: `reasoning` becomes thinking blocks, `content` text
 * deltas, `toolCalls` tool_use blocks whose input streams as `input_json_delta`.
 */
export async function startAnthropicServer(
  opts: { script?: MessagesScript | Reply[]; port?: number } = {},
): Promise<AnthropicServer> {
  let script = toScript(opts.script ?? echo);
  const requests: MessagesRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'HEAD' && url.pathname === '/') return void res.writeHead(200).end();
    if (req.method === 'POST' && url.pathname === '/v1/messages') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body) as MessagesRequest;
        const reply = script(parsed, requests.push(parsed) - 1);
        void answer(parsed, reply, res).catch(() => res.destroy());
      });
      return;
    }
    json(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `no route ${req.method} ${url.pathname}` },
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setScript: (s) => (script = toScript(s)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Block =
  | { type: 'thinking'; thinking: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown; json: string };

function blocksOf(reply: Reply): Block[] {
  const blocks: Block[] = [];
  if (reply.reasoning?.length)
    blocks.push({ type: 'thinking', thinking: reply.reasoning.join('') });
  if (reply.content?.length) blocks.push({ type: 'text', text: reply.content.join('') });
  (reply.toolCalls ?? []).forEach((tc, i) =>
    blocks.push({
      type: 'tool_use',
      id: `toolu_${i}_${Math.random().toString(36).slice(2, 10)}`,
      name: tc.name,
      input: JSON.parse(tc.arguments || '{}') as unknown,
      json: tc.arguments,
    }),
  );
  return blocks;
}

async function answer(req: MessagesRequest, reply: Reply, res: http.ServerResponse): Promise<void> {
  if (reply.fail === 'http500') {
    return json(res, 500, {
      type: 'error',
      error: { type: 'api_error', message: 'scripted internal error' },
    });
  }
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const blocks = blocksOf(reply);
  const stopReason = reply.finishReason ?? (reply.toolCalls?.length ? 'tool_use' : 'end_turn');
  const inputTokens = reply.usage?.prompt_tokens ?? 10;
  const outputTokens =
    reply.usage?.completion_tokens ?? (reply.content?.length ?? 0) + (reply.reasoning?.length ?? 0);

  if (!req.stream) {
    return json(res, 200, {
      id,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: blocks.map((b) =>
        b.type === 'tool_use' ? { type: b.type, id: b.id, name: b.name, input: b.input } : b,
      ),
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: inputTokens, output_tokens: outputTokens },
    });
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const event = (data: { type: string; [key: string]: unknown }) =>
    `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
  function* frames(): Generator<string> {
    yield event({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: req.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: 1 },
      },
    });
    for (const [index, b] of blocks.entries()) {
      if (b.type === 'thinking') {
        yield event({
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        });
        for (const thinking of reply.reasoning ?? [])
          yield event({
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking },
          });
        yield event({
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: 'scripted' },
        });
      } else if (b.type === 'text') {
        yield event({
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        });
        for (const text of reply.content ?? [])
          yield event({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
      } else {
        yield event({
          type: 'content_block_start',
          index,
          content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} },
        });
        // The input arrives as JSON split anywhere, as the real API streams it.
        const half = Math.ceil(b.json.length / 2);
        for (const partial_json of [b.json.slice(0, half), b.json.slice(half)])
          yield event({
            type: 'content_block_delta',
            index,
            delta: { type: 'input_json_delta', partial_json },
          });
      }
      yield event({ type: 'content_block_stop', index });
    }
    yield event({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    });
    yield event({ type: 'message_stop' });
  }

  let i = 0;
  for (const frame of frames()) {
    if (res.destroyed) return;
    if (reply.fail === 'cut' && i === (reply.cutAfter ?? 2)) {
      res.socket?.destroySoon();
      return;
    }
    if (reply.fail === 'malformed' && i === 2)
      res.write('event: content_block_delta\ndata: {not json\n\n');
    i++;
    if (reply.delayMs) await sleep(reply.delayMs);
    if (!res.write(frame)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}
