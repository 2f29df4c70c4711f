import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, wordTokens, type ModelServer } from '@boocode/testkit';
import { groupAlive } from '../../src/agents/acp/agent-process.ts';
import type { AgentBackend } from '../../src/agents/backend.ts';
import { agentBin, pick, RecordingSink } from './acp-helpers.ts';
import { hasToolResult, opencodeWorld, turn, type OpencodeWorld } from './opencode-helpers.ts';
import { EventStreamProxy } from './tcp-proxy.ts';

// The event loops of the opencode backend against real `opencode serve`: dropped streams,
// close while streaming, loops and processes left after close and dispose.
const opencode = agentBin('opencode');

describe.skipIf(!opencode)('opencode event loops on a shared server', { timeout: 90_000 }, () => {
  let model: ModelServer;
  let world: OpencodeWorld;
  let proxy: EventStreamProxy | undefined;
  const open: AgentBackend[] = [];
  beforeAll(async () => {
    model = await startModelServer();
    world = await opencodeWorld(model.url, {
      clientUrl: async (url) => (proxy = await EventStreamProxy.start(url)).url,
    });
  });
  afterAll(async () => {
    await world?.close();
    await proxy?.close();
    await model?.close();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
    expect(world.backends.liveLoops()).toBe(1); // the keeper's
  });
  const start = async (cwd: string, sink: RecordingSink) => {
    const b = await world.backends.start({ launch: world.launch, cwd, sink });
    open.push(b);
    return b;
  };

  it('a stream cut mid-turn reconnects, and the text is exact with nothing doubled', async () => {
    const tokens = wordTokens(60);
    model.setScript(turn(() => ({ content: tokens, delayMs: 15 })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('cut'), sink);
    const streams = proxy!.eventStreams;
    const done = backend.prompt('talk');
    await sink.next((e) => e.type === 'message.delta');
    proxy!.cutEvents();
    expect(await done).toEqual({ stopReason: 'end_turn' });
    expect(sink.text()).toBe(tokens.join(''));
    expect(sink.events.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(proxy!.eventStreams).toBeGreaterThan(streams);
  });

  it('events missed while the stream was down (the end of the turn included) are read back once', async () => {
    const tokens = wordTokens(40);
    model.setScript(turn(() => ({ content: tokens, delayMs: 5 })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('stall'), sink);
    const stalled = proxy!.stallEventsUntil('session.idle');
    const done = backend.prompt('talk');
    // The whole turn, its idle included, happens while its events are held back; then the
    // stream is cut and the loop must learn all of it from the server.
    await stalled;
    expect(await done).toEqual({ stopReason: 'end_turn' });
    expect(sink.text()).toBe(tokens.join(''));
    expect(sink.events.filter((e) => e.type === 'usage')).toHaveLength(1);
  });

  it('a permission asked while the stream was down is still asked, and the write lands', async () => {
    const cwd = await world.repo('missed-ask');
    const file = path.join(cwd, 'late.txt');
    model.setScript(
      turn((req) =>
        hasToolResult(req)
          ? { content: ['done'] }
          : {
              toolCalls: [
                { name: 'write', arguments: JSON.stringify({ filePath: file, content: 'late\n' }) },
              ],
            },
      ),
    );
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await start(cwd, sink);
    const stalled = proxy!.stallEventsUntil('permission.asked');
    const done = backend.prompt('write late.txt');
    await stalled;
    expect(await done).toEqual({ stopReason: 'end_turn' });
    expect(sink.asks).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toBe('late\n');
    expect(sink.text()).toBe('done');
  });

  it("close while streaming rejects the turn and ends the session's loop", async () => {
    model.setScript(turn(() => ({ content: wordTokens(400), delayMs: 20 })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('close'), sink);
    expect(world.backends.liveLoops()).toBe(2);
    const done = backend.prompt('talk a lot');
    await sink.next((e) => e.type === 'message.delta');
    await backend.close();
    await expect(done).rejects.toThrow(/closed/);
    expect(world.backends.liveLoops()).toBe(1);
    const seen = sink.events.length;
    // Nothing of the aborted session reaches the sink after close.
    const other = new RecordingSink();
    model.setScript(turn(() => ({ content: ['after'] })));
    await (await start(await world.repo('after-close'), other)).prompt('next');
    expect(sink.events).toHaveLength(seen);
  });

  it('leaves no loop after open/close cycles in several directories', async () => {
    const dirs = await Promise.all(['d1', 'd2', 'd3'].map((d) => world.repo(d)));
    for (let round = 0; round < 2; round++) {
      const sessions = await Promise.all(
        dirs.map((cwd) =>
          world.backends.start({ launch: world.launch, cwd, sink: new RecordingSink() }),
        ),
      );
      expect(world.backends.liveLoops()).toBe(1 + dirs.length);
      await Promise.all(sessions.map((s) => s.close()));
      expect(world.backends.liveLoops()).toBe(1);
    }
  });
});

describe.skipIf(!opencode)('opencode servers', { timeout: 90_000 }, () => {
  let model: ModelServer;
  let world: OpencodeWorld;
  beforeAll(async () => {
    model = await startModelServer();
  });
  afterAll(() => model?.close());
  afterEach(async () => {
    await world?.close();
  });

  it("probe starts a server, lists the endpoint's model and the modes, and stops it", async () => {
    world = await opencodeWorld(model.url, {}, false);
    const result = await world.backends.probe(world.launch, { timeoutMs: 30_000 });
    expect(result).toEqual({
      ok: true,
      agent: 'OpenCode',
      version: '1.18.33',
      models: [{ id: 'boocode/scripted-small', name: 'boocode/scripted-small' }],
      modes: [
        { id: 'build', name: 'build' },
        { id: 'plan', name: 'plan' },
      ],
    });
    expect(await world.backends.serverPids()).toEqual([]);
  });

  it('a probe of a command that is no opencode fails with the reason', async () => {
    world = await opencodeWorld(model.url, {}, false);
    const launch = { ...world.launch, command: '/bin/false', args: [] };
    const result = await world.backends.probe(launch, { timeoutMs: 30_000 });
    expect(result).toEqual({
      ok: false,
      error: 'opencode serve exited with code 1 before listening',
    });
  });

  it('a start in a missing worktree fails with the reason and starts no server', async () => {
    world = await opencodeWorld(model.url, {}, false);
    const cwd = path.join(world.root, 'missing');
    await expect(
      world.backends.start({ launch: world.launch, cwd, sink: new RecordingSink() }),
    ).rejects.toThrow(`the worktree ${cwd} is not an existing directory`);
    expect(await world.backends.serverPids()).toEqual([]);
    expect(world.backends.liveLoops()).toBe(0);
  });

  it('the last session to close stops its server; dispose stops the rest', async () => {
    world = await opencodeWorld(model.url, {}, false);
    const a = await world.backends.start({
      launch: world.launch,
      cwd: await world.repo('a'),
      sink: new RecordingSink(),
    });
    const b = await world.backends.start({
      launch: world.launch,
      cwd: await world.repo('b'),
      sink: new RecordingSink(),
    });
    const [pid] = await world.backends.serverPids();
    expect(await world.backends.serverPids()).toEqual([pid]);
    await a.close();
    expect(groupAlive(pid!)).toBe(true);
    await b.close();
    expect(groupAlive(pid!)).toBe(false);

    await world.backends.start({
      launch: world.launch,
      cwd: await world.repo('c'),
      sink: new RecordingSink(),
    });
    const [again] = await world.backends.serverPids();
    await world.backends.dispose();
    expect(world.backends.liveLoops()).toBe(0);
    expect(groupAlive(again!)).toBe(false);
  });

  it('a stream that hangs silent is dropped and opened again, and the turn completes exactly', async () => {
    let hung: EventStreamProxy | undefined;
    world = await opencodeWorld(
      model.url,
      {
        clientUrl: async (url) => (hung = await EventStreamProxy.start(url)).url,
        silenceMs: 1_500,
      },
      false,
    );
    try {
      const tokens = wordTokens(30);
      model.setScript(turn(() => ({ content: tokens, delayMs: 5 })));
      const sink = new RecordingSink();
      const backend = await world.backends.start({
        launch: world.launch,
        cwd: await world.repo('silent'),
        sink,
      });
      // Held back for good: only the loop's own watchdog can get it out.
      void hung!.stallEventsUntil(null);
      expect(await backend.prompt('talk')).toEqual({ stopReason: 'end_turn' });
      expect(sink.text()).toBe(tokens.join(''));
      expect(hung!.eventStreams).toBeGreaterThanOrEqual(2);
      await backend.close();
    } finally {
      await hung?.close();
    }
  });

  it('a server that dies mid-turn rejects the turn with its exit', async () => {
    world = await opencodeWorld(model.url, {}, false);
    model.setScript(turn(() => ({ content: wordTokens(400), delayMs: 20 })));
    const sink = new RecordingSink();
    const backend = await world.backends.start({
      launch: world.launch,
      cwd: await world.repo('dies'),
      sink,
    });
    const [pid] = await world.backends.serverPids();
    const done = backend.prompt('talk a lot');
    await sink.next((e) => e.type === 'message.delta');
    process.kill(-pid!, 'SIGKILL');
    await expect(done).rejects.toThrow('opencode serve was killed by SIGKILL');
    await backend.close();
    expect(world.backends.liveLoops()).toBe(0);
  });
});
