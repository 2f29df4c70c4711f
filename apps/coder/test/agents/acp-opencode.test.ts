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
  OPENCODE_ACP,
  pick,
  RecordingSink,
  registryLaunch,
  scriptedRegistry,
  type AgentDirs,
} from './acp-helpers.ts';

// Real opencode (apps/coder's dependency) over ACP, offline against the scripted OpenAI server,
// started as the provider registry launches it (OPENCODE_CONFIG: a config it generates).
const opencode = agentBin('opencode');

const hasToolResult = (req: ChatRequest) => req.messages.some((m) => m.role === 'tool');
/** The turn's requests offer tools; opencode's side request (a session title) does not. */
const offersTools = (req: ChatRequest) => Array.isArray(req.tools) && req.tools.length > 0;
const turn =
  (reply: (req: ChatRequest) => Reply) =>
  (req: ChatRequest): Reply =>
    offersTools(req) ? reply(req) : { content: ['A title'] };

// opencode takes ~5 s to start and ~5 s more per write on this 2-core machine, more when other
// test files run beside it: a bound above vitest's default.
describe.skipIf(!opencode)(
  'ACP backend with opencode, as the registry launches it',
  { timeout: 60_000 },
  () => {
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
      launch = await registryLaunch('opencode', dirs.home, model.url, OPENCODE_ACP);
      backend = undefined;
    });
    afterEach(async () => {
      await backend?.close();
      await dirs.remove();
    });

    const writeScript = (file: string, content: string) =>
      turn((req) =>
        hasToolResult(req)
          ? { content: ['Wrote ', 'it.'] }
          : {
              toolCalls: [
                { name: 'write', arguments: JSON.stringify({ filePath: file, content }) },
              ],
            },
      );

    it("streams the reply of a prompt as message deltas on the endpoint's model and ends the turn", async () => {
      model.setScript(turn(() => ({ content: ['Hello ', 'from ', 'scripted.'] })));
      const sink = new RecordingSink();
      backend = await startAcpAgent({ launch, cwd: dirs.repo, sink });
      expect(backend.started.currentModel).toBe('boocode/scripted-small');
      // Only boocode's provider: none of opencode's own cloud models.
      expect(backend.started.models.map((m) => m.id)).toEqual(['boocode/scripted-small']);

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
      model.setScript(writeScript(file, 'hi from opencode\n'));
      const sink = new RecordingSink(pick('allow_once'));
      backend = await startAcpAgent({ launch, cwd: dirs.repo, sink });
      expect(await backend.prompt('please write hello.txt')).toEqual({ stopReason: 'end_turn' });

      expect(sink.asks).toHaveLength(1);
      expect(sink.asks[0]?.options.map((o) => o.kind)).toEqual([
        'allow_once',
        'allow_always',
        'reject_once',
      ]);
      expect(await readFile(file, 'utf8')).toBe('hi from opencode\n');
      const toolCallId = sink.asks[0]?.toolCallId;
      expect(sink.events).toContainEqual(
        expect.objectContaining({ type: 'tool.call', toolCallId, kind: 'edit' }),
      );
      expect(sink.events).toContainEqual(
        expect.objectContaining({ type: 'tool.update', toolCallId, status: 'completed' }),
      );
      expect(sink.text()).toBe('Wrote it.');
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

    it("probeAcp starts it as the registry launches it: its name, version, the endpoint's model and its modes", async () => {
      const result = await probeAcp(launch, { timeoutMs: 30_000 });
      expect(result).toMatchObject({ ok: true, agent: 'OpenCode', version: '1.18.33' });
      if (!result.ok) return;
      expect(result.models.map((m) => m.id)).toEqual(['boocode/scripted-small']);
      expect(result.modes.map((m) => m.id)).toEqual(['build', 'plan']);
    });

    it('the registry probe of opencode is ok and lists its model and modes', async () => {
      const list = await scriptedRegistry(dirs.home, model.url, OPENCODE_ACP).probe('opencode');
      const info = list.providers.find((p) => p.id === 'opencode');
      expect(info).toMatchObject({ installed: true, version: '1.18.33', probe: { state: 'ok' } });
      expect(info?.models.map((m) => m.id)).toEqual(['boocode/scripted-small']);
      expect(info?.modes.map((m) => m.id)).toEqual(['build', 'plan']);
    });
  },
);
