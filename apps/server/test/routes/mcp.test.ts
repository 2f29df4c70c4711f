import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Chat,
  ChatSnapshot,
  McpServerList,
  McpServerStatus,
  ServerFrame,
  ToolResultPart,
} from '@boocode/protocol';
import type { ChatRequest, Reply } from '@boocode/testkit';
import { toolName } from '../../src/mcp/tool-source.ts';
import { startHarness, WsClient, type Harness } from '../helpers.ts';
import { stdioEverything } from '../mcp-helpers.ts';

let h: Harness;
let home: string;
let ws: WsClient;

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-mcp-api-'));
  h = await startHarness({ BOOCODE_HOME: home });
  ws = await WsClient.open(h);
});
afterAll(async () => {
  ws?.close();
  await h?.close();
  await rm(home, { recursive: true, force: true });
});

type McpFrame = Extract<ServerFrame, { type: 'mcp.changed' }>;

/** The next (or a seen) `mcp.changed` frame in which server `name` matches. */
async function frameWhere(
  name: string,
  pred: (s: McpServerStatus | undefined) => boolean,
): Promise<McpServerStatus | undefined> {
  const f = (await ws.waitFor((x) => {
    if (x.type !== 'mcp.changed') return false;
    return pred(x.servers.find((s) => s.name === name));
  })) as McpFrame;
  return f.servers.find((s) => s.name === name);
}

/** The latest frame's view must match: earlier frames are history. */
async function latest(name: string, pred: (s: McpServerStatus | undefined) => boolean) {
  ws.frames.length = 0;
  const now = (await h.api<McpServerList>('GET', '/api/mcp/servers')).body;
  const s = now.servers.find((x) => x.name === name);
  if (pred(s)) return s;
  return frameWhere(name, pred);
}

const readConfig = async () => JSON.parse(await readFile(path.join(home, 'mcp.json'), 'utf8'));

const toolNames = (req: ChatRequest | undefined) =>
  ((req?.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);

async function ask(chat: Chat, content: string, onRunning?: () => Promise<void>) {
  const { messageId } = (
    await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, { content })
  ).body;
  ws.subscribe(chat.id, 0);
  if (onRunning) await onRunning();
  await ws.waitForFinish(messageId);
  return (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body.messages.at(-1)!;
}

/** Calls one tool, then answers with what it said. */
const callThenAnswer =
  (name: string, args: object) =>
  (req: ChatRequest): Reply =>
    req.messages.at(-1)?.role === 'tool'
      ? { content: [`Tool said: ${String(req.messages.at(-1)!.content)}`] }
      : { toolCalls: [{ name, arguments: JSON.stringify(args) }] };

describe('MCP servers over the API', () => {
  it('adds a server: written to mcp.json, its status pushed over the socket until ready', async () => {
    const added = await h.api<McpServerStatus>('POST', '/api/mcp/servers', {
      name: 'everything',
      config: { ...stdioEverything, env: { API_KEY: 'sekrit' } },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'everything', transport: 'stdio', enabled: true });
    expect(JSON.stringify(added.body)).not.toContain('sekrit');
    expect(added.body.envKeys).toEqual(['API_KEY']);
    const ready = await frameWhere('everything', (s) => s?.state === 'ready');
    expect(ready!.serverInfo).toEqual({ name: 'mcp-servers/everything', version: '2.0.0' });
    expect(ready!.tools.length).toBeGreaterThan(5);
    expect((await readConfig()).mcpServers.everything).toEqual({
      ...stdioEverything,
      env: { API_KEY: 'sekrit' },
    });
    const list = (await h.api<McpServerList>('GET', '/api/mcp/servers')).body;
    expect(list).toMatchObject({ configPath: path.join(home, 'mcp.json'), configError: null });
    expect(list.servers.map((s) => s.name)).toEqual(['everything']);
  });

  it('refuses a taken name (409) and a bad entry (400), and changes nothing', async () => {
    const before = await readConfig();
    const dup = await h.api<{ code: string }>('POST', '/api/mcp/servers', {
      name: 'everything',
      config: stdioEverything,
    });
    expect(dup).toMatchObject({ status: 409, body: { code: 'conflict' } });
    const noCommand = await h.api('POST', '/api/mcp/servers', { name: 'x', config: { args: [] } });
    expect(noCommand.status).toBe(400);
    const badName = await h.api<{ message: string }>('POST', '/api/mcp/servers', {
      name: 'a/b',
      config: stdioEverything,
    });
    expect(badName.status).toBe(400);
    expect(badName.body.message).toMatch(/name may hold letters/);
    const badUrl = await h.api('POST', '/api/mcp/servers', {
      name: 'web',
      config: { url: 'file:///etc/passwd' },
    });
    expect(badUrl.status).toBe(400);
    expect(await readConfig()).toEqual(before);
    expect((await h.api('PATCH', '/api/mcp/servers/nope', { enabled: false })).status).toBe(404);
    expect((await h.api('DELETE', '/api/mcp/servers/nope')).status).toBe(404);
  });
});

describe('MCP tools in a chat', () => {
  let chat: Chat;
  beforeAll(async () => {
    await latest('everything', (s) => s?.state === 'ready');
    chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
  });

  it('the model calls everything__echo and gets its result, shown like a read tool', async () => {
    h.model.requests.length = 0;
    h.model.setScript(callThenAnswer('everything__echo', { message: 'ping' }));
    const reply = await ask(chat, 'Echo ping');
    expect(reply.status).toBe('complete');
    expect(toolNames(h.model.requests[0])).toEqual(
      expect.arrayContaining(['everything__echo', 'everything__get-tiny-image']),
    );
    expect(String(h.model.requests[0]!.messages[0]!.content)).toContain('"everything"');
    expect(reply.parts.map((p) => p.type)).toEqual(['tool_call', 'tool_result', 'text']);
    expect(reply.parts[0]).toMatchObject({ name: 'everything__echo', state: 'done' });
    expect(reply.parts[1]).toMatchObject({ ok: true, text: 'Echo: ping' });
    expect((reply.parts[1] as ToolResultPart).tokens).toEqual(expect.any(Number));
    expect(h.model.requests[1]!.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: 'Echo: ping',
    });
  });

  it('an image result reaches the model as a short description, and the page as the image', async () => {
    h.model.setScript(callThenAnswer('everything__get-tiny-image', {}));
    const reply = await ask(chat, 'Show the image');
    const result = reply.parts[1] as ToolResultPart;
    expect(result.text).toContain('[image: image/png,');
    expect(result.images).toHaveLength(1);
    expect(result.images![0]!.mimeType).toBe('image/png');
    // A real PNG: its signature, decoded from the base64 kept in the part.
    expect(Buffer.from(result.images![0]!.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const sent = h.model.requests.at(-1)!.messages.find((m) => m.role === 'tool');
    expect(String(sent?.content)).not.toContain(result.images![0]!.data.slice(0, 40));
  });

  it('a server switched off in one chat offers no tools there, and still does in others', async () => {
    const off = await h.api('PUT', `/api/chats/${chat.id}/mcp/everything`, { enabled: false });
    expect(off.status).toBe(204);
    expect(
      (await h.api<{ disabledServers: string[] }>('GET', `/api/chats/${chat.id}/mcp`)).body,
    ).toEqual({ disabledServers: ['everything'] });
    h.model.requests.length = 0;
    h.model.setScript([{ content: ['plain'] }]);
    await ask(chat, 'no tools here');
    expect(toolNames(h.model.requests[0])).toEqual([]);

    const other = (await h.api<Chat>('POST', '/api/chats', {})).body;
    h.model.requests.length = 0;
    await ask(other, 'tools here');
    expect(toolNames(h.model.requests[0])).toContain('everything__echo');

    await h.api('PUT', `/api/chats/${chat.id}/mcp/everything`, { enabled: true });
    h.model.requests.length = 0;
    await ask(chat, 'back on');
    expect(toolNames(h.model.requests[0])).toContain('everything__echo');
  });

  it('a call longer than the server timeout ends in an error result, and the server stays ready', async () => {
    const slow = await h.api('POST', '/api/mcp/servers', {
      name: 'slow',
      config: { ...stdioEverything, timeoutMs: 500 },
    });
    expect(slow.status).toBe(201);
    await latest('slow', (s) => s?.state === 'ready');
    h.model.setScript(
      callThenAnswer('slow__trigger-long-running-operation', { duration: 30, steps: 2 }),
    );
    const reply = await ask(chat, 'Run the long one');
    expect(reply.status).toBe('complete');
    expect(reply.parts[0]).toMatchObject({ state: 'error' });
    expect(reply.parts[1]).toMatchObject({
      ok: false,
      text: 'The MCP server "slow" did not answer in time; the call was cancelled.',
    });
    const list = (await h.api<McpServerList>('GET', '/api/mcp/servers')).body;
    expect(list.servers.find((s) => s.name === 'slow')!.state).toBe('ready');
  });

  it('Stop cancels a running MCP call', async () => {
    h.model.setScript(
      callThenAnswer('everything__trigger-long-running-operation', { duration: 60, steps: 2 }),
    );
    const reply = await ask(chat, 'Run it, then I stop', async () => {
      await ws.waitFor(
        (f) =>
          f.type === 'chat.part.added' &&
          f.chatId === chat.id &&
          f.part.type === 'tool_call' &&
          f.part.name === 'everything__trigger-long-running-operation',
      );
      expect((await h.api('POST', `/api/chats/${chat.id}/stop`)).status).toBeLessThan(300);
    });
    expect(reply.status).toBe('stopped');
    expect(reply.parts[1]).toMatchObject({ ok: false, text: 'The call was stopped.' });
  });
});

describe('switching servers', () => {
  it('disable stops it (status disabled), enable brings it back, remove forgets it', async () => {
    const off = await h.api<McpServerStatus>('PATCH', '/api/mcp/servers/slow', { enabled: false });
    expect(off.body).toMatchObject({ state: 'disabled', enabled: false });
    await frameWhere('slow', (s) => s?.state === 'disabled');
    expect((await readConfig()).mcpServers.slow.enabled).toBe(false);

    await h.api('PATCH', '/api/mcp/servers/slow', { enabled: true });
    await latest('slow', (s) => s?.state === 'ready');
    const restarted = await h.api<McpServerStatus>('POST', '/api/mcp/servers/slow/restart');
    expect(restarted).toMatchObject({ status: 200, body: { state: 'connecting' } });
    await latest('slow', (s) => s?.state === 'ready');

    const chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
    await h.api('PUT', `/api/chats/${chat.id}/mcp/slow`, { enabled: false });
    expect((await h.api('DELETE', '/api/mcp/servers/slow')).status).toBe(204);
    await frameWhere('slow', (s) => s === undefined);
    expect((await readConfig()).mcpServers.slow).toBeUndefined();
    expect(
      (await h.api<{ disabledServers: string[] }>('GET', `/api/chats/${chat.id}/mcp`)).body,
    ).toEqual({ disabledServers: [] });
  });

  it('per-chat settings need a real chat', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await h.api('GET', `/api/chats/${missing}/mcp`)).status).toBe(404);
    expect((await h.api('PUT', `/api/chats/${missing}/mcp/x`, { enabled: false })).status).toBe(
      404,
    );
  });
});

describe('tool names', () => {
  it('are server__tool in the charset and length the OpenAI API takes, and never collide', () => {
    const taken = new Set<string>();
    expect(toolName('everything', 'get-tiny-image', taken)).toBe('everything__get-tiny-image');
    expect(toolName('my.server', 'do thing', taken)).toBe('my_server__do_thing');
    const clash = toolName('my_server', 'do_thing', taken);
    expect(clash).toMatch(/^my_server__do_thing_[0-9a-f]{8}$/);
    const long = toolName('s', 'x'.repeat(100), taken);
    expect(long).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(long).toHaveLength(64);
  });
});
