import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mcpTestServers } from '@boocode/testkit';
import type { McpManager } from '../../src/mcp/manager.ts';
import { resultText } from '../../src/mcp/tool-source.ts';
import {
  alive,
  changingToolsJs,
  filesystemJs,
  startEverythingHttp,
  startManager,
  stdioEverything,
  type HttpEverything,
} from '../mcp-helpers.ts';

let dir: string;
let file: string;
let manager: McpManager | null = null;
const abort = () => new AbortController().signal;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-mcp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await manager?.close();
  manager = null;
  await rm(path.join(dir, 'mcp.json'), { force: true });
});

async function run(
  servers: Record<string, unknown>,
  opts: Parameters<typeof startManager>[1] = {},
) {
  file = path.join(dir, 'mcp.json');
  await writeFile(file, JSON.stringify({ mcpServers: servers }));
  const started = startManager(file, opts);
  manager = started.manager;
  await manager.start();
  return started.seen;
}

const readLog = async (log: string) =>
  (await readFile(log, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(1).map(Number));

describe('real servers', () => {
  it('a stdio server from npm becomes ready with its name, version and tools, and answers a call', async () => {
    const seen = await run({ everything: stdioEverything });
    const s = await seen.server('everything', (x) => x.state === 'ready');
    expect(s).toMatchObject({
      transport: 'stdio',
      enabled: true,
      serverInfo: { name: 'mcp-servers/everything', version: '2.0.0' },
      error: null,
    });
    expect(s.tools.map((t) => t.name)).toContain('echo');
    expect(seen.history('everything')[0]!.state).toBe('connecting');
    const out = await manager!.callTool('everything', 'echo', { message: 'hi there' }, abort());
    expect(resultText(out)).toEqual({ ok: true, text: 'Echo: hi there' });
  });

  describe('over streamable HTTP', () => {
    let http: HttpEverything;
    beforeAll(async () => {
      http = await startEverythingHttp();
    });
    afterAll(async () => {
      await http.stop();
    });

    it('a streamable HTTP server from npm becomes ready and answers a call', async () => {
      const seen = await run({ remote: { url: http.url, headers: { 'X-Test': 'yes' } } });
      const s = await seen.server('remote', (x) => x.state === 'ready');
      expect(s).toMatchObject({
        transport: 'http',
        target: http.url,
        headerNames: ['X-Test'],
        serverInfo: { name: 'mcp-servers/everything' },
      });
      const out = await manager!.callTool('remote', 'get-sum', { a: 2, b: 40 }, abort());
      expect(resultText(out).text).toContain('42');
    });
  });

  it('a URL where nothing listens fails with the reason, and is retried', async () => {
    const seen = await run(
      { gone: { url: 'http://127.0.0.1:9/mcp' } },
      { backoff: { initialMs: 60_000, maxMs: 60_000 } },
    );
    const s = await seen.server('gone', (x) => x.state === 'failed');
    expect(s.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(s.retryInMs).toBe(60_000);
  });

  it('server-filesystem reads a file inside its folder only', async () => {
    const root = await mkdtemp(path.join(dir, 'fs-'));
    await writeFile(path.join(root, 'note.txt'), 'filesystem says hello\n');
    const seen = await run({ fs: { command: process.execPath, args: [filesystemJs, root] } });
    const s = await seen.server('fs', (x) => x.state === 'ready');
    expect(s.tools.map((t) => t.name)).toContain('read_text_file');
    const ok = await manager!.callTool(
      'fs',
      'read_text_file',
      { path: path.join(root, 'note.txt') },
      abort(),
    );
    expect(resultText(ok)).toEqual({ ok: true, text: 'filesystem says hello\n' });
    const denied = await manager!.callTool(
      'fs',
      'read_text_file',
      { path: '/etc/passwd' },
      abort(),
    );
    expect(resultText(denied).ok).toBe(false);
  });

  it('images and embedded resources come back as text the model can read', async () => {
    const seen = await run({ everything: stdioEverything });
    await seen.server('everything', (x) => x.state === 'ready');
    const image = resultText(await manager!.callTool('everything', 'get-tiny-image', {}, abort()));
    expect(image.text).toMatch(/Here's the image you requested:\n\[image: image\/png, [\d.]+ KB\]/);
    const resource = resultText(
      await manager!.callTool(
        'everything',
        'get-resource-reference',
        { resourceType: 'Text', resourceId: 1 },
        abort(),
      ),
    );
    expect(resource.ok).toBe(true);
    expect(resource.text).toMatch(/demo:\/\/resource\/static\/document|resource/i);
    expect(resource.text).not.toContain('[resource ');
  });

  it('refreshes the cached tool list on notifications/tools/list_changed', async () => {
    const seen = await run({ growing: { command: process.execPath, args: [changingToolsJs] } });
    const s = await seen.server('growing', (x) => x.state === 'ready');
    expect(s.tools.map((t) => t.name)).toEqual(['add_tool']);
    expect(s.serverInfo).toEqual({ name: 'changing-tools', version: '1.2.3' });
    await manager!.callTool('growing', 'add_tool', {}, abort());
    const after = await seen.server('growing', (x) => x.tools.length === 2);
    expect(after.tools.map((t) => t.name)).toEqual(['add_tool', 'extra_1']);
    expect(manager!.readyServers()[0]!.connection.toolList.map((t) => t.name)).toContain('extra_1');
  });
});

describe('broken servers', () => {
  it('a server that crashes on start is failed with its stderr, and restarted with doubling waits up to the cap', async () => {
    const log = path.join(dir, 'crash.log');
    const seen = await run(
      {
        crashy: {
          command: process.execPath,
          args: [mcpTestServers.crashOnStart],
          env: { MCP_TEST_LOG: log },
        },
      },
      { backoff: { initialMs: 20, maxMs: 80 } },
    );
    const fifth = await seen.server('crashy', (x) => x.state === 'failed' && x.attempts >= 5);
    expect(fifth.error).toBe('The server process exited before it was ready.');
    expect(fifth.stderr).toContain('cannot open /nonexistent/data.db');
    const waits = new Map(
      seen
        .history('crashy')
        .filter((x) => x.state === 'failed')
        .map((x) => [x.attempts, x.retryInMs]),
    );
    expect([1, 2, 3, 4, 5].map((n) => waits.get(n))).toEqual([20, 40, 80, 80, 80]);
    // Each try was a real start of the process.
    const starts = await readLog(log);
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(new Set(starts.map(([pid]) => pid)).size).toBe(starts.length);
  });

  it('a command that does not exist is failed, saying so in its stderr', async () => {
    const seen = await run(
      { typo: { command: 'no-such-mcp-server-here' } },
      { backoff: { initialMs: 60_000, maxMs: 60_000 } },
    );
    const s = await seen.server('typo', (x) => x.state === 'failed');
    expect(`${s.error} ${s.stderr}`).toMatch(/no-such-mcp-server-here/);
  });

  it('a server that never answers fails on the timeout, and its process group is killed', async () => {
    const log = path.join(dir, 'hang.log');
    const seen = await run(
      {
        stuck: {
          command: process.execPath,
          args: [mcpTestServers.neverAnswers],
          env: { MCP_TEST_LOG: log },
        },
      },
      { defaultTimeoutMs: 1000, backoff: { initialMs: 60_000, maxMs: 60_000 } },
    );
    const s = await seen.server('stuck', (x) => x.state === 'failed');
    expect(s.error).toBe('No answer within 1 s (it did not finish starting).');
    expect(s.retryInMs).toBe(60_000);
    // Whatever it had started by then is gone (a slow machine may not have got that far).
    for (const pid of (await readLog(log)).flat()) expect(alive(pid)).toBe(false);
  });

  it('closing the manager kills a starting server and its children', async () => {
    const log = path.join(dir, 'close.log');
    const seen = await run({
      slow: {
        command: process.execPath,
        args: [mcpTestServers.neverAnswers],
        env: { MCP_TEST_LOG: log },
      },
    });
    await seen.server('slow', (x) => x.state === 'connecting');
    await vi.waitFor(async () => expect(await readLog(log)).toHaveLength(1));
    const [[pid, child]] = (await readLog(log)) as [[number, number]];
    expect(alive(pid) && alive(child)).toBe(true);
    await manager!.close();
    manager = null;
    // SIGKILL to the group is sent by then; the kernel ends the processes a moment later.
    await vi.waitFor(() => expect([alive(pid), alive(child)]).toEqual([false, false]));
  });
});

describe('mcp.json', () => {
  it('a file that is not JSON is reported, starts nothing, and a fix by hand applies at once', async () => {
    file = path.join(dir, 'mcp.json');
    await writeFile(file, '{ "mcpServers": { oops');
    const started = startManager(file);
    manager = started.manager;
    await manager.start();
    expect(manager.list()).toMatchObject({ servers: [], configPath: file });
    expect(manager.list().configError).toMatch(/mcp\.json is not valid JSON/);
    await writeFile(file, JSON.stringify({ mcpServers: { everything: stdioEverything } }));
    await started.seen.server('everything', (x) => x.state === 'ready');
    expect(manager.list().configError).toBeNull();
    // Broken again: said so, and the running server goes on.
    await writeFile(file, '[');
    await started.seen.waitFor((l) => l.configError !== null);
    expect(manager.readyServers().map((s) => s.name)).toEqual(['everything']);
  });

  it('a refused entry says why and the others still run', async () => {
    const seen = await run({
      noCommand: { args: ['x'] },
      'bad name': { command: 'x' },
      badArgs: { command: 'x', args: 'not-a-list' },
      everything: stdioEverything,
    });
    const list = await seen.waitFor((l) =>
      l.servers.some((s) => s.name === 'everything' && s.state === 'ready'),
    );
    const byName = new Map(list.servers.map((s) => [s.name, s]));
    expect(byName.get('noCommand')).toMatchObject({
      state: 'failed',
      error: 'The entry needs "command" (stdio) or "url" (streamable HTTP).',
    });
    expect(byName.get('bad name')!.error).toMatch(/^Bad name: name may hold letters/);
    expect(byName.get('badArgs')!.error).toMatch(/^Bad entry: args: /);
  });

  it('disabling rewrites mcp.json keeping what it does not know, owner-only, and stops the server', async () => {
    file = path.join(dir, 'mcp.json');
    await writeFile(
      file,
      JSON.stringify({
        otherClientSetting: 1,
        mcpServers: { everything: { ...stdioEverything, autoApprove: ['echo'] } },
      }),
    );
    const started = startManager(file);
    manager = started.manager;
    await manager.start();
    await started.seen.server('everything', (x) => x.state === 'ready');
    const s = await manager.setEnabled('everything', false);
    expect(s).toMatchObject({ state: 'disabled', enabled: false, tools: [] });
    const written = JSON.parse(await readFile(file, 'utf8'));
    expect(written).toEqual({
      otherClientSetting: 1,
      mcpServers: { everything: { ...stdioEverything, autoApprove: ['echo'], enabled: false } },
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(manager.readyServers()).toEqual([]);
    await manager.setEnabled('everything', true);
    await started.seen.server('everything', (x) => x.state === 'ready');
  });

  it('reads "disabled": true as other clients write it', async () => {
    const seen = await run({ off: { ...stdioEverything, disabled: true } });
    expect((await seen.server('off', () => true)).state).toBe('disabled');
  });
});
