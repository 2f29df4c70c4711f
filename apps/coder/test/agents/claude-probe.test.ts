import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicServer, type AnthropicServer, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { createClaudeSdkBackends, findClaudeSdkBinary } from '../../src/agents/claude/backend.ts';
import { agentDirs, type AgentDirs } from './acp-helpers.ts';
import { claudeLaunch, claudeSdkBin } from './claude-helpers.ts';

const bin = claudeSdkBin();

describe.skipIf(!bin)('claude_sdk probe', () => {
  let model: AnthropicServer;
  let db: TestDatabase;
  let dirs: AgentDirs;
  beforeAll(async () => {
    model = await startAnthropicServer();
    db = await testDatabase();
    dirs = await agentDirs();
  });
  afterAll(async () => {
    await model.close();
    await db.drop();
    await dirs.remove();
  });

  it("finds the SDK's native CLI, an executable named claude", () => {
    const found = findClaudeSdkBinary();
    expect(found && path.basename(found)).toBe('claude');
    expect(() => accessSync(found!, constants.X_OK)).not.toThrow();
  });

  it('starts the CLI, reads its models and offers the permission modes', async () => {
    const backends = createClaudeSdkBackends({ sql: db.sql });
    const result = await backends.probe(claudeLaunch(bin!, dirs.home, model), {
      timeoutMs: 30_000,
    });
    expect(result).toMatchObject({ ok: true, agent: 'Claude Agent SDK' });
    if (!result.ok) return;
    expect(result.models.length).toBeGreaterThan(0);
    expect(result.modes.map((m) => m.id)).toEqual(
      expect.arrayContaining(['default', 'acceptEdits', 'plan', 'bypassPermissions']),
    );
    expect(result.thinkingLevels?.map((l) => l.id)).toContain('high');
  });

  it('reports why a CLI that cannot start failed', async () => {
    const backends = createClaudeSdkBackends({ sql: db.sql });
    const launch = { ...claudeLaunch(bin!, dirs.home, model), command: '/nonexistent/claude' };
    const result = await backends.probe(launch, { timeoutMs: 30_000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/Claude CLI could not start: spawn \/nonexistent\/claude ENOENT/);
  });
});
