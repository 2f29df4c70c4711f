import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the scripted model answers to one chat completion request. */
export interface Reply {
  /** `reasoning_content` deltas, streamed before the content. */
  reasoning?: string[];
  /** Content deltas, streamed in order (may carry `<think>` tags split anywhere). */
  content?: string[];
  toolCalls?: { name: string; arguments: string }[];
  /** Pause before each chunk, in ms. */
  delayMs?: number;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  finishReason?: string;
  /**
   * Failure modes: `http500` answers 500 with a JSON error; `malformed` sends an
   * SSE data line that is not JSON; `cut` closes the socket after `cutAfter` chunks.
   */
  fail?: 'http500' | 'malformed' | 'cut';
  cutAfter?: number;
  /**
   * Sends the first `after` content deltas, then waits for `until` before the rest: a test
   * sees what arrived while the model still holds the rest, without a timer.
   */
  hold?: { after: number; until: Promise<unknown> };
}

export interface ChatRequest {
  model: string;
  stream?: boolean;
  messages: { role: string; content: unknown }[];
  [key: string]: unknown;
}

export type Script = (req: ChatRequest, index: number) => Reply;

export interface ModelServer {
  /** Base URL including `/v1`. */
  url: string;
  port: number;
  /** Every chat completion request received, in order. */
  requests: ChatRequest[];
  /** Replaces the script for the following requests. */
  setScript(script: Script | Reply[]): void;
  /** Resolves the next time a client goes away before its reply ended (the stop path). */
  nextAbort(): Promise<void>;
  close(): Promise<void>;
}

export interface ModelServerOptions {
  models?: { id: string; context_length?: number }[];
  script?: Script | Reply[];
  port?: number;
}

/** The text of a request's last user message, whatever its content shape. */
export function lastUserText(req: ChatRequest): string {
  const last = [...req.messages].reverse().find((m) => m.role === 'user');
  return textOf(last?.content);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p: unknown) =>
        p && typeof p === 'object' && 'text' in p && typeof p.text === 'string' ? p.text : '',
      )
      .join('');
  }
  return '';
}

/** `n` distinct word tokens: "t0 ", "t1 ", ... so a test can check each arrived once. */
export function wordTokens(n: number, prefix = 't'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i} `);
}

const echo: Script = (req) => ({ content: ['You said: ', lastUserText(req)] });

function toScript(s: Script | Reply[]): Script {
  if (typeof s === 'function') return s;
  return (_req, i) => s[Math.min(i, s.length - 1)] ?? {};
}

/**
 * A scripted OpenAI-compatible model server: `GET /v1/models` and
 * `POST /v1/chat/completions`, streaming (SSE, as OpenAI sends it) or not.
 */
export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServer> {
  const models = opts.models ?? [
    { id: 'scripted-small', context_length: 8192 },
    { id: 'scripted-large' },
  ];
  let script = toScript(opts.script ?? echo);
  const requests: ChatRequest[] = [];
  let abortWaiters: (() => void)[] = [];
  const onAbort = () => {
    const waiters = abortWaiters;
    abortWaiters = [];
    for (const w of waiters) w();
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = url.pathname.replace(/^\/v1/, '');
    if (req.method === 'GET' && route === '/models') {
      return json(res, 200, {
        object: 'list',
        data: models.map((m) => ({ object: 'model', owned_by: 'testkit', created: 0, ...m })),
      });
    }
    if (req.method === 'POST' && route === '/chat/completions') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const parsed = JSON.parse(body) as ChatRequest;
        const index = requests.push(parsed) - 1;
        const reply = script(parsed, index);
        void answer(parsed, reply, res, index).catch(() => res.destroy());
      });
      res.on('close', () => {
        if (!res.writableFinished) onAbort();
      });
      return;
    }
    json(res, 404, { error: { message: `no route ${req.method} ${url.pathname}` } });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    setScript: (s) => (script = toScript(s)),
    nextAbort: () => new Promise<void>((r) => abortWaiters.push(r)),
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

async function answer(
  req: ChatRequest,
  reply: Reply,
  res: http.ServerResponse,
  index: number,
): Promise<void> {
  if (reply.fail === 'http500') {
    return json(res, 500, { error: { message: 'scripted internal error', type: 'server_error' } });
  }
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`;
  const created = Math.floor(Date.now() / 1000);
  const content = reply.content ?? [];
  const reasoning = reply.reasoning ?? [];
  const usage =
    reply.usage === undefined
      ? { prompt_tokens: 10, completion_tokens: content.length + reasoning.length }
      : reply.usage;
  const finish = reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');

  if (!req.stream) {
    return json(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: req.model,
      choices: [
        {
          index: 0,
          finish_reason: finish,
          message: {
            role: 'assistant',
            content: content.join(''),
            ...(reasoning.length ? { reasoning_content: reasoning.join('') } : {}),
            ...(reply.toolCalls?.length ? { tool_calls: toolCalls(reply, index) } : {}),
          },
        },
      ],
      ...(usage
        ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
        : {}),
    });
  }

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish_reason: string | null = null) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: req.model, choices: [{ index: 0, delta, finish_reason }] })}\n\n`;
  const wantsUsage = (req.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
  // Made one at a time, so the first token goes out before the last is made.
  function* frames(): Generator<string> {
    yield chunk({ role: 'assistant', content: '' });
    for (const r of reasoning) yield chunk({ reasoning_content: r });
    for (const c of content) yield chunk({ content: c });
    for (const [i, tc] of toolCalls(reply, index).entries()) {
      yield chunk({ tool_calls: [{ index: i, ...tc }] });
    }
    yield chunk({}, finish);
    if (usage && wantsUsage) {
      yield `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: req.model, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}\n\n`;
    }
    yield 'data: [DONE]\n\n';
  }

  // Frame 0 is the role; then the reasoning deltas; then the content deltas.
  const holdAt = reply.hold ? 1 + reasoning.length + reply.hold.after : -1;
  let i = 0;
  for (const frame of frames()) {
    if (i === holdAt) await reply.hold!.until;
    if (res.destroyed) return;
    if (reply.fail === 'cut' && i === (reply.cutAfter ?? 2)) {
      res.socket?.destroySoon();
      return;
    }
    if (reply.fail === 'malformed' && i === 2) {
      res.write('data: {"choices": [ this is not json\n\n');
    }
    i++;
    if (reply.delayMs) await sleep(reply.delayMs);
    // Respect backpressure so a slow reader sees a real stream, not one buffer.
    if (!res.write(frame)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

/** Tool calls with ids unique across the server's requests, as a real endpoint gives them. */
function toolCalls(reply: Reply, request: number) {
  return (reply.toolCalls ?? []).map((tc, i) => ({
    id: `call_${request}_${i}`,
    type: 'function' as const,
    function: { name: tc.name, arguments: tc.arguments },
  }));
}
