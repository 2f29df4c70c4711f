import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  hasToolResult,
  lastUserTextOf,
  startAnthropicServer,
  type AnthropicServer,
  type MessagesRequest,
} from '@boocode/testkit';
import { startAcpAgent } from '../../src/agents/acp/acp-backend.ts';
import type { AgentBackend, AgentLaunch } from '../../src/agents/backend.ts';
import {
  agentBin,
  agentDirs,
  baseEnv,
  pick,
  RecordingSink,
  type AgentDirs,
} from './acp-helpers.ts';

// Real claude-code-acp (apps/coder's dependency), offline against the scripted Anthropic server.
const claude = agentBin('claude-code-acp');

/**
 * The write tool the agent offers: with the client's fs capability claude-code-acp replaces its
 * built-in `Write` by its own MCP tool `mcp__acp__Write` (same arguments).
 */
const writeTool = (req: MessagesRequest) =>
  req.tools?.some((t) => t.name === 'mcp__acp__Write') ? 'mcp__acp__Write' : 'Write';

describe.skipIf(!claude)('ACP backend with claude-code-acp', () => {
  let model: AnthropicServer;
  let dirs: AgentDirs;
  let backend: AgentBackend | undefined;
  beforeAll(async () => {
    model = await startAnthropicServer();
  });
  afterAll(() => model.close());
  beforeEach(async () => {
    dirs = await agentDirs();
    backend = undefined;
  });
  afterEach(async () => {
    await backend?.close();
    await dirs.remove();
  });

  const launch = (): AgentLaunch => ({
    command: claude ?? 'claude-code-acp',
    args: [],
    env: {
      ...baseEnv(dirs.home),
      // As root, claude refuses to run without it.
      IS_SANDBOX: '1',
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: 'sk-test',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    },
  });
  const writeScript = (file: string, content: string) => (req: MessagesRequest) =>
    hasToolResult(req)
      ? { content: ['Done ', 'writing.'] }
      : lastUserTextOf(req).includes('please write')
        ? {
            toolCalls: [
              { name: writeTool(req), arguments: JSON.stringify({ file_path: file, content }) },
            ],
          }
        : { content: ['(side request)'] };

  it('streams the reply of a prompt as message deltas and ends the turn', async () => {
    model.setScript((req) =>
      lastUserTextOf(req).includes('say hi')
        ? { content: ['Hello ', 'from ', 'claude.'] }
        : { content: ['(side request)'] },
    );
    const sink = new RecordingSink();
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    expect(backend.started.currentMode).toBe('default');
    expect(backend.started.modes.map((m) => m.id)).toContain('acceptEdits');

    expect(await backend.prompt('say hi')).toEqual({ stopReason: 'end_turn' });
    expect(sink.events.filter((e) => e.type === 'message.delta')).toEqual([
      { type: 'message.delta', text: 'Hello ' },
      { type: 'message.delta', text: 'from ' },
      { type: 'message.delta', text: 'claude.' },
    ]);
    expect(sink.events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
  });

  it('asks permission for a Write and, allowed once, writes the file into the cwd', async () => {
    const file = path.join(dirs.repo, 'hello.txt');
    model.setScript(writeScript(file, 'hi from claude\n'));
    const sink = new RecordingSink(pick('allow_once'));
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
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

  it('writes nothing when the Write question is answered with reject', async () => {
    const file = path.join(dirs.repo, 'nope.txt');
    model.setScript(writeScript(file, 'x'));
    const sink = new RecordingSink(pick('reject_once'));
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    await backend.prompt('please write nope.txt');
    expect(sink.asks).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });
});
