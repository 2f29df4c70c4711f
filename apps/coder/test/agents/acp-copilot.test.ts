import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  lastUserText,
  startModelServer,
  type ChatRequest,
  type ModelServer,
  type Reply,
} from '@boocode/testkit';
import { startAcpAgent } from '../../src/agents/acp/acp-backend.ts';
import { probeAcp } from '../../src/agents/acp/probe.ts';
import type { AgentBackend, AgentLaunch } from '../../src/agents/backend.ts';
import {
  agentBin,
  agentDirs,
  pick,
  RecordingSink,
  registryLaunch,
  scriptedRegistry,
  type AgentDirs,
} from './acp-helpers.ts';

// Real GitHub Copilot CLI (apps/coder's dependency) over ACP, offline against the scripted OpenAI
// server, started as the provider registry launches it (COPILOT_OFFLINE and its BYOK variables).
const copilot = agentBin('copilot');

const AGENT_MODE = 'https://agentclientprotocol.com/protocol/session-modes#agent';

const hasToolResult = (req: ChatRequest) => req.messages.some((m) => m.role === 'tool');

describe.skipIf(!copilot)('ACP backend with copilot, as the registry launches it', () => {
  let model: ModelServer;
  let dirs: AgentDirs;
  let launch: AgentLaunch;
  let backend: AgentBackend | undefined;
  beforeAll(async () => {
    model = await startModelServer();
  });
  afterAll(() => model.close());
  beforeEach(async () => {
    dirs = await agentDirs();
    launch = await registryLaunch('copilot', dirs.home, model.url);
    backend = undefined;
  });
  afterEach(async () => {
    await backend?.close();
    await dirs.remove();
  });

  const writeScript =
    (file: string, content: string) =>
    (req: ChatRequest): Reply =>
      hasToolResult(req)
        ? { content: ['Wrote ', 'it.'] }
        : {
            toolCalls: [
              { name: 'create', arguments: JSON.stringify({ path: file, file_text: content }) },
            ],
          };

  it("streams the reply of a prompt as message deltas from the endpoint's model and ends the turn", async () => {
    model.setScript(() => ({ content: ['Hello ', 'from ', 'scripted.'] }));
    const sink = new RecordingSink();
    backend = await startAcpAgent({ launch, cwd: dirs.repo, sink });
    // Offline with a provider of its own (BYOK), copilot lists no models: COPILOT_MODEL is it.
    expect(backend.started.currentMode).toBe(AGENT_MODE);

    expect(await backend.prompt('say hi')).toEqual({ stopReason: 'end_turn' });
    expect(sink.events.filter((e) => e.type === 'message.delta')).toEqual([
      { type: 'message.delta', text: 'Hello ' },
      { type: 'message.delta', text: 'from ' },
      { type: 'message.delta', text: 'scripted.' },
    ]);
    expect(sink.events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
    const asked = model.requests.filter((r) => lastUserText(r).includes('say hi'));
    expect(asked.map((r) => r.model)).toContain('scripted-small');
  });

  it('asks permission for a write call and, allowed once, writes the file into the cwd', async () => {
    const file = path.join(dirs.repo, 'hello.txt');
    model.setScript(writeScript(file, 'hi from copilot\n'));
    const sink = new RecordingSink(pick('allow_once'));
    backend = await startAcpAgent({ launch, cwd: dirs.repo, sink });
    expect(await backend.prompt('please write hello.txt')).toEqual({ stopReason: 'end_turn' });

    expect(sink.asks).toHaveLength(1);
    expect(sink.asks[0]?.options.map((o) => o.kind)).toEqual([
      'allow_once',
      'allow_always',
      'reject_once',
    ]);
    expect(await readFile(file, 'utf8')).toBe('hi from copilot\n');
    const toolCallId = sink.asks[0]?.toolCallId;
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.call', toolCallId, kind: 'edit' }),
    );
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.update', toolCallId, status: 'completed' }),
    );
    // Before its reply, copilot says what it created ("Info: <path>").
    expect(sink.text()).toMatch(/Wrote it\.$/);
  });

  it('writes nothing when the write question is answered with reject', async () => {
    const file = path.join(dirs.repo, 'nope.txt');
    model.setScript(writeScript(file, 'x'));
    const sink = new RecordingSink(pick('reject_once'));
    backend = await startAcpAgent({ launch, cwd: dirs.repo, sink });
    await backend.prompt('please write nope.txt');
    expect(sink.asks).toHaveLength(1);
    expect(existsSync(file)).toBe(false);
  });

  it('probeAcp starts it as the registry launches it: its name, version and modes (no models offline)', async () => {
    const result = await probeAcp(launch, { timeoutMs: 30_000 });
    expect(result).toMatchObject({ ok: true, agent: 'Copilot', version: '1.0.102', models: [] });
    expect(result.ok && result.modes.map((m) => m.name)).toEqual(['Agent', 'Plan', 'Autopilot']);
  });

  it('the registry probe of copilot is ok and lists its modes', async () => {
    const list = await scriptedRegistry(dirs.home, model.url).probe('copilot');
    const info = list.providers.find((p) => p.id === 'copilot');
    expect(info).toMatchObject({ installed: true, version: '1.0.102', probe: { state: 'ok' } });
    expect(info?.modes.map((m) => m.name)).toEqual(['Agent', 'Plan', 'Autopilot']);
  });
});
