import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  lastUserTextOf,
  startAnthropicServer,
  type AnthropicServer,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { groupAlive } from '../../src/agents/acp/agent-process.ts';
import {
  createClaudeSdkBackends,
  type ClaudeSdkBackends,
} from '../../src/agents/claude/backend.ts';
import type { ClaudeSdkBackend } from '../../src/agents/claude/claude-session.ts';
import { agentDirs, RecordingSink, type AgentDirs } from './acp-helpers.ts';
import { claudeLaunch, claudeSdkBin, storedEntries } from './claude-helpers.ts';

// A Claude session goes on after its CLI is gone: closed when idle, or after boocode restarted
// with nothing of the CLI's own transcript left, from PostgreSQL.
const bin = claudeSdkBin();

describe.skipIf(!bin)('claude_sdk sessions resumed', () => {
  let model: AnthropicServer;
  let db: TestDatabase;
  let dirs: AgentDirs;
  const instances: ClaudeSdkBackends[] = [];
  beforeAll(async () => {
    model = await startAnthropicServer();
    model.setScript((req) => ({
      content: [lastUserTextOf(req).includes('pineapple') ? 'Noted: the word.' : 'Something.'],
    }));
    db = await testDatabase();
  });
  afterAll(async () => {
    await model.close();
    await db.drop();
  });
  beforeEach(async () => {
    dirs = await agentDirs();
  });
  afterEach(async () => {
    await Promise.all(instances.splice(0).map((b) => b.dispose()));
    await dirs.remove();
  });

  const backends = (idleMs?: number) => {
    const made = createClaudeSdkBackends({ sql: db.sql, idleMs });
    instances.push(made);
    return made;
  };
  const start = async (
    from: ClaudeSdkBackends,
    home: string,
    resume?: string,
    sink = new RecordingSink(),
  ) =>
    (await from.start({
      launch: claudeLaunch(bin!, home, model),
      cwd: dirs.repo,
      mode: 'default',
      sink,
      sessionId: 'boocode-session',
      resume,
    })) as ClaudeSdkBackend;
  /** The conversation the model was last sent. */
  const lastSent = () => JSON.stringify(model.requests.at(-1)?.messages);

  it('closes an idle CLI and resumes the conversation on the next prompt', async () => {
    const sink = new RecordingSink();
    const backend = await start(backends(200), dirs.home, undefined, sink);
    await backend.prompt('remember the word pineapple');
    const first = backend.pid!;
    const claudeId = backend.resumeId();

    // The idle timer closes the query: its process group goes away on its own.
    await vi.waitFor(() => expect(groupAlive(first)).toBe(false), { timeout: 10_000 });

    expect(await backend.prompt('which word was it?')).toEqual({ stopReason: 'end_turn' });
    expect(backend.pid).not.toBe(first);
    expect(lastSent()).toContain('remember the word pineapple');
    expect(lastSent()).toContain('Noted: the word.');
    expect(backend.resumeId()).toBe(claudeId);
    // The resumed query's running total goes on from the saved one: each turn is charged once.
    const costs = sink.events
      .map((e) => (e.type === 'usage' ? e.costMicros : -1))
      .filter((c) => c !== -1);
    expect(costs).toHaveLength(2);
    expect(costs[0]).toBeGreaterThan(0);
    expect(costs[1]).toBe(costs[0]);
  });

  it('resumes a session from PostgreSQL in a new instance, with the CLI transcript gone', async () => {
    const homeA = path.join(path.dirname(dirs.home), 'home-a');
    await mkdir(homeA);
    const before = backends();
    const [sinkA, sinkB] = [new RecordingSink(), new RecordingSink()];
    const first = await start(before, homeA, undefined, sinkA);
    await first.prompt('remember the word pineapple');
    const claudeId = first.resumeId()!;
    const pid = first.pid!;
    // boocode stops: every CLI of the instance gone, and with it the CLI's own copy.
    await before.dispose();
    expect(groupAlive(pid)).toBe(false);
    await rm(homeA, { recursive: true, force: true });
    expect(await storedEntries(db, claudeId)).toBeGreaterThan(0);

    const after = await start(backends(), dirs.home, claudeId, sinkB);
    expect(after.resumeId()).toBe(claudeId);
    expect(await after.prompt('which word was it?')).toEqual({ stopReason: 'end_turn' });
    expect(lastSent()).toContain('remember the word pineapple');
    expect(lastSent()).toContain('Noted: the word.');
    expect(lastSent()).toContain('which word was it?');
    const costs = [...sinkA.events, ...sinkB.events].flatMap((e) =>
      e.type === 'usage' ? [e.costMicros] : [],
    );
    expect(costs).toHaveLength(2);
    expect(costs[0]).toBeGreaterThan(0);
    expect(costs[1]).toBe(costs[0]);
  });

  it('fails to start, saying why, with a session id the store never saw', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    await expect(start(backends(), dirs.home, missing)).rejects.toThrow(
      /Claude CLI exited with code 1 at start.*No conversation found with session ID/,
    );
  });
});
