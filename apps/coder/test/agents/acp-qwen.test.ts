import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  lastUserText,
  startModelServer,
  wordTokens,
  type ChatRequest,
  type ModelServer,
} from '@boocode/testkit';
import { startAcpAgent } from '../../src/agents/acp/acp-backend.ts';
import { probeAcp } from '../../src/agents/acp/probe.ts';
import type { AgentBackend, AgentLaunch } from '../../src/agents/backend.ts';
import {
  agentBin,
  agentDirs,
  baseEnv,
  pick,
  RecordingSink,
  type AgentDirs,
} from './acp-helpers.ts';

// Real qwen-code (apps/coder's dependency) over ACP, offline against the scripted OpenAI server.
const qwen = agentBin('qwen');
const MODEL = 'scripted-small';

describe.skipIf(!qwen)('ACP backend with qwen', () => {
  let model: ModelServer;
  let dirs: AgentDirs;
  let backend: AgentBackend | undefined;
  beforeAll(async () => {
    model = await startModelServer();
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
    command: qwen ?? 'qwen',
    args: ['--acp'],
    env: {
      ...baseEnv(dirs.home),
      OPENAI_BASE_URL: model.url,
      OPENAI_API_KEY: 'x',
      OPENAI_MODEL: MODEL,
    },
  });
  const hasToolResult = (req: ChatRequest) => req.messages.some((m) => m.role === 'tool');

  it('streams the reply of a prompt as message deltas, with usage, and ends the turn', async () => {
    model.setScript(() => ({ content: ['Hello ', 'from ', 'scripted.'] }));
    const sink = new RecordingSink();
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    expect(backend.started.currentMode).toBe('default');
    expect(backend.started.modes.map((m) => m.id)).toContain('yolo');
    expect(backend.started.models.map((m) => m.name)).toContain(MODEL);

    expect(await backend.prompt('say hi')).toEqual({ stopReason: 'end_turn' });
    expect(sink.events.filter((e) => e.type === 'message.delta')).toEqual([
      { type: 'message.delta', text: 'Hello ' },
      { type: 'message.delta', text: 'from ' },
      { type: 'message.delta', text: 'scripted.' },
    ]);
    expect(sink.events).toContainEqual({
      type: 'usage',
      inputTokens: 10,
      outputTokens: 3,
      costMicros: null,
    });
    expect(sink.events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
    expect(model.requests.some((r) => lastUserText(r).includes('say hi'))).toBe(true);
  });

  it('asks permission for a write_file call and, allowed once, writes the file into the cwd', async () => {
    const file = path.join(dirs.repo, 'hello.txt');
    model.setScript((req) =>
      hasToolResult(req)
        ? { content: ['Wrote ', 'it.'] }
        : {
            toolCalls: [
              {
                name: 'write_file',
                arguments: JSON.stringify({ file_path: file, content: 'hi from qwen\n' }),
              },
            ],
          },
    );
    const sink = new RecordingSink(pick('allow_once'));
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    expect(await backend.prompt('please write hello.txt')).toEqual({ stopReason: 'end_turn' });

    expect(sink.asks).toHaveLength(1);
    expect(sink.asks[0]?.options.map((o) => o.id)).toEqual([
      'proceed_always',
      'proceed_once',
      'cancel',
    ]);
    expect(await readFile(file, 'utf8')).toBe('hi from qwen\n');
    const toolCallId = sink.asks[0]?.toolCallId;
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.call', toolCallId, kind: 'edit' }),
    );
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.update', toolCallId, status: 'completed' }),
    );
    expect(sink.text()).toBe('Wrote it.');
  });

  it('writes nothing when the write_file question is answered with reject', async () => {
    const file = path.join(dirs.repo, 'nope.txt');
    model.setScript((req) =>
      hasToolResult(req)
        ? { content: ['OK, not written.'] }
        : {
            toolCalls: [
              { name: 'write_file', arguments: JSON.stringify({ file_path: file, content: 'x' }) },
            ],
          },
    );
    const sink = new RecordingSink(pick('reject_once'));
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    await backend.prompt('please write nope.txt');
    expect(sink.asks).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('cancel mid-reply ends the turn with stopReason cancelled', async () => {
    model.setScript(() => ({ content: wordTokens(200), delayMs: 20 }));
    const sink = new RecordingSink();
    backend = await startAcpAgent({ launch: launch(), cwd: dirs.repo, mode: 'default', sink });
    const turn = backend.prompt('count slowly');
    await sink.next((e) => e.type === 'message.delta');
    await backend.cancel();
    expect(await turn).toEqual({ stopReason: 'cancelled' });
    expect(sink.text().length).toBeLessThan(wordTokens(200).join('').length);
  });

  it('probeAcp starts qwen and reports its name, version and modes', async () => {
    const result = await probeAcp(launch(), { timeoutMs: 30_000 });
    expect(result).toMatchObject({ ok: true, agent: 'Qwen Code', version: '0.15.10' });
    expect(result.ok && result.modes.map((m) => m.id)).toContain('default');
  });
});
