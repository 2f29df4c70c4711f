import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  hasToolResult,
  lastUserTextOf,
  startAnthropicServer,
  type AnthropicServer,
  type MessagesRequest,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { groupAlive } from '../../src/agents/acp/agent-process.ts';
import {
  createClaudeSdkBackends,
  type ClaudeSdkBackends,
} from '../../src/agents/claude/backend.ts';
import type { ClaudeSdkBackend } from '../../src/agents/claude/claude-session.ts';
import { agentDirs, pick, RecordingSink, type AgentDirs } from './acp-helpers.ts';
import { claudeLaunch, claudeSdkBin, processesIn } from './claude-helpers.ts';

// The real Claude Agent SDK and its native CLI, offline against the scripted Anthropic server.
const bin = claudeSdkBin();

describe.skipIf(!bin)('claude_sdk backend', () => {
  let model: AnthropicServer;
  let db: TestDatabase;
  let dirs: AgentDirs;
  let backends: ClaudeSdkBackends;
  beforeAll(async () => {
    model = await startAnthropicServer();
    db = await testDatabase();
  });
  afterAll(async () => {
    await model.close();
    await db.drop();
  });
  beforeEach(async () => {
    dirs = await agentDirs();
    backends = createClaudeSdkBackends({ sql: db.sql });
  });
  afterEach(async () => {
    await backends.dispose();
    await dirs.remove();
  });

  const start = async (sink: RecordingSink, mode = 'default') =>
    (await backends.start({
      launch: claudeLaunch(bin!, dirs.home, model),
      cwd: dirs.repo,
      mode,
      sink,
      sessionId: 'boocode-session',
    })) as ClaudeSdkBackend;
  const writeScript = (file: string, content: string) => (req: MessagesRequest) =>
    hasToolResult(req)
      ? { content: ['Done ', 'writing.'] }
      : lastUserTextOf(req).includes('please write')
        ? {
            toolCalls: [{ name: 'Write', arguments: JSON.stringify({ file_path: file, content }) }],
          }
        : { content: ['(side request)'] };

  it('offers the effort levels as thinking levels, and sends the one picked to the model', async () => {
    model.setScript(() => ({ content: ['Thought.'] }));
    const backend = (await backends.start({
      launch: claudeLaunch(bin!, dirs.home, model),
      cwd: dirs.repo,
      thinking: 'low',
      sink: new RecordingSink(),
    })) as ClaudeSdkBackend;
    expect(backend.started.thinkingLevels?.map((l) => l.id)).toEqual([
      'low',
      'medium',
      'high',
      'xhigh',
      'max',
    ]);
    const before = model.requests.length;
    await backend.prompt('think about it');
    const sent = JSON.stringify(model.requests.slice(before));
    expect(sent).toContain('"effort":"low"');
    await backend.close();
  });

  it('streams the reply of a prompt exactly once and ends the turn', async () => {
    model.setScript(() => ({ content: ['Hello ', 'from ', 'claude.'] }));
    const sink = new RecordingSink();
    const backend = await start(sink);
    expect(backend.started.currentMode).toBe('default');
    expect(backend.started.modes.map((m) => m.id)).toEqual(
      expect.arrayContaining(['default', 'acceptEdits', 'plan', 'bypassPermissions']),
    );

    expect(await backend.prompt('say hi')).toEqual({ stopReason: 'end_turn' });
    expect(sink.events.filter((e) => e.type === 'message.delta')).toEqual([
      { type: 'message.delta', text: 'Hello ' },
      { type: 'message.delta', text: 'from ' },
      { type: 'message.delta', text: 'claude.' },
    ]);
    expect(backend.resumeId()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("reports each turn's tokens and the cost it added", async () => {
    model.setScript(() => ({
      content: ['ok'],
      usage: { prompt_tokens: 1000, completion_tokens: 50 },
    }));
    const sink = new RecordingSink();
    const backend = await start(sink);
    await backend.prompt('one');
    await backend.prompt('two');
    const usage = sink.events.filter((e) => e.type === 'usage');
    expect(usage).toHaveLength(2);
    for (const u of usage) {
      expect(u).toMatchObject({ inputTokens: 1000, outputTokens: 50 });
      expect(u.costMicros).toBeGreaterThan(0);
    }
    // Both turns cost the same: the second is not charged the first one's running total again.
    expect(usage[1]?.costMicros).toBe(usage[0]?.costMicros);
  });

  it('asks permission for a Write and, allowed once, writes the file into the cwd', async () => {
    const file = path.join(dirs.repo, 'hello.txt');
    model.setScript(writeScript(file, 'hi from claude\n'));
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await start(sink);
    expect(await backend.prompt('please write hello.txt')).toEqual({ stopReason: 'end_turn' });

    expect(sink.asks).toHaveLength(1);
    expect(sink.asks[0]?.options.map((o) => o.kind)).toEqual([
      'allow_always',
      'allow_once',
      'reject_once',
    ]);
    expect(await readFile(file, 'utf8')).toBe('hi from claude\n');
    const toolCallId = sink.asks[0]?.toolCallId;
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.call', toolCallId, kind: 'edit' }),
    );
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.update', toolCallId, status: 'completed' }),
    );
    expect(sink.text()).toBe('Done writing.');
  });

  it('asks no more for what was allowed always in the session', async () => {
    const [a, b] = [path.join(dirs.repo, 'a.txt'), path.join(dirs.repo, 'b.txt')];
    model.setScript((req) => {
      const last = req.messages.at(-1)?.content;
      if (Array.isArray(last) && last.some((x) => x.type === 'tool_result'))
        return { content: ['Written.'] };
      const file = lastUserTextOf(req).includes('write a') ? a : b;
      return {
        toolCalls: [
          { name: 'Write', arguments: JSON.stringify({ file_path: file, content: 'x' }) },
        ],
      };
    });
    const sink = new RecordingSink(pick('allow_always'));
    const backend = await start(sink);
    await backend.prompt('please write a');
    await backend.prompt('please write b');
    expect(sink.asks).toHaveLength(1);
    expect(existsSync(a) && existsSync(b)).toBe(true);
  });

  it('starts in the default mode, saying so, when asked for a mode Claude has not', async () => {
    const sink = new RecordingSink();
    const backend = await start(sink, 'yolo');
    expect(backend.started.currentMode).toBe('default');
    expect(sink.events).toContainEqual({
      type: 'error',
      message: 'Claude has no mode "yolo"; using default.',
    });
  });

  it('cancels a start when its signal aborts, leaving no CLI', async () => {
    const abort = new AbortController();
    const starting = backends.start({
      launch: claudeLaunch(bin!, dirs.home, model),
      cwd: dirs.repo,
      sink: new RecordingSink(),
      signal: abort.signal,
    });
    abort.abort();
    await expect(starting).rejects.toThrow('the start was cancelled');
    expect(processesIn(dirs.repo)).toEqual([]);
  });

  it('writes nothing when the Write question is rejected', async () => {
    const file = path.join(dirs.repo, 'nope.txt');
    model.setScript(writeScript(file, 'x'));
    const sink = new RecordingSink(pick('reject_once'));
    const backend = await start(sink);
    await backend.prompt('please write nope.txt');
    expect(sink.asks).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('sends a follow-up prompt into the same live process, with the conversation so far', async () => {
    model.setScript((req) => ({
      content: [lastUserTextOf(req).includes('first question') ? 'the first answer' : 'another'],
    }));
    const backend = await start(new RecordingSink());
    await backend.prompt('first question');
    const pid = backend.pid;
    expect(pid).toBeDefined();
    const seen = model.requests.length;
    await backend.prompt('second question');
    expect(backend.pid).toBe(pid);
    const sent = JSON.stringify(model.requests.slice(seen).at(-1)?.messages);
    expect(sent).toContain('first question');
    expect(sent).toContain('the first answer');
  });

  it("reads the project's CLAUDE.md, as the CLI does", async () => {
    await writeFile(path.join(dirs.repo, 'CLAUDE.md'), 'Always answer in kumquat style.\n');
    model.setScript(() => ({ content: ['ok'] }));
    const backend = await start(new RecordingSink());
    const seen = model.requests.length;
    await backend.prompt('hi');
    expect(JSON.stringify(model.requests.slice(seen))).toContain('kumquat style');
  });

  it('leaves no process behind when closed', async () => {
    model.setScript(() => ({ content: ['ok'] }));
    const backend = await start(new RecordingSink());
    await backend.prompt('hi');
    const pid = backend.pid!;
    expect(groupAlive(pid)).toBe(true);
    expect(processesIn(dirs.repo)).toContain(pid);
    await backend.close();
    expect(groupAlive(pid)).toBe(false);
    expect(processesIn(dirs.repo)).toEqual([]);
    await expect(backend.prompt('again')).rejects.toThrow(/closed/);
  });

  it('rejects the running prompt with the reason when the CLI dies mid-turn', async () => {
    model.setScript(() => ({
      content: Array.from({ length: 40 }, (_, i) => `w${i} `),
      delayMs: 50,
    }));
    const sink = new RecordingSink();
    const backend = await start(sink);
    const turn = backend.prompt('talk slowly');
    await sink.next((e) => e.type === 'message.delta');
    process.kill(backend.pid!, 'SIGKILL');
    await expect(turn).rejects.toThrow(/Claude CLI was killed by SIGKILL/);
  });

  it('ends a cancelled turn as cancelled, and the session takes the next prompt', async () => {
    model.setScript((req) =>
      lastUserTextOf(req).includes('slowly')
        ? { content: Array.from({ length: 40 }, (_, i) => `w${i} `), delayMs: 50 }
        : { content: ['quick'] },
    );
    const sink = new RecordingSink();
    const backend = await start(sink);
    const turn = backend.prompt('talk slowly');
    await sink.next((e) => e.type === 'message.delta');
    await backend.cancel();
    expect(await turn).toEqual({ stopReason: 'cancelled' });
    expect(await backend.prompt('now quick')).toEqual({ stopReason: 'end_turn' });
  });
});
