import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lastUserText, startModelServer, wordTokens, type ModelServer } from '@boocode/testkit';
import type { AgentBackend } from '../../src/agents/backend.ts';
import { agentBin, pick, RecordingSink } from './acp-helpers.ts';
import { hasToolResult, opencodeWorld, turn, type OpencodeWorld } from './opencode-helpers.ts';

// Real `opencode serve` (apps/coder's dependency) through @opencode-ai/sdk, offline against the
// scripted OpenAI server, launched as the provider registry launches opencode.
const opencode = agentBin('opencode');

describe.skipIf(!opencode)('opencode backend over opencode serve', { timeout: 90_000 }, () => {
  let model: ModelServer;
  let world: OpencodeWorld;
  const open: AgentBackend[] = [];
  beforeAll(async () => {
    model = await startModelServer();
    world = await opencodeWorld(model.url);
  });
  afterAll(async () => {
    await world?.close();
    await model?.close();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });
  const start = async (
    cwd: string,
    sink: RecordingSink,
    extra: { mode?: string; model?: string } = {},
  ) => {
    const b = await world.backends.start({ launch: world.launch, cwd, sink, ...extra });
    open.push(b);
    return b;
  };
  const writeScript = (file: string, content: string) =>
    turn((req) =>
      hasToolResult(req)
        ? { content: ['Wrote ', 'it.'] }
        : {
            toolCalls: [{ name: 'write', arguments: JSON.stringify({ filePath: file, content }) }],
          },
    );

  it("streams a turn's text exactly, once, then ends it with end_turn and its usage", async () => {
    model.setScript(turn(() => ({ content: ['Hello ', 'from ', 'scripted.'] })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('stream'), sink);
    expect(backend.started.models.map((m) => m.id)).toEqual(['boocode/scripted-small']);
    expect(backend.started.modes.map((m) => m.id)).toEqual(['build', 'plan']);

    expect(await backend.prompt('say hi')).toEqual({ stopReason: 'end_turn' });
    expect(sink.text()).toBe('Hello from scripted.');
    expect(sink.events.filter((e) => e.type === 'usage')).toEqual([
      { type: 'usage', inputTokens: 10, outputTokens: 3, costMicros: 0 },
    ]);
    expect(sink.events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
  });

  it('runs a second prompt in the same session and streams only its own text', async () => {
    model.setScript(turn((req) => ({ content: ['re: ', lastUserText(req)] })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('second'), sink);
    await backend.prompt('one');
    await backend.prompt('two');
    expect(sink.text()).toBe('re: onere: two');
  });

  it('asks a write as a permission and, allowed once, the file lands in the worktree', async () => {
    const cwd = await world.repo('write');
    const file = path.join(cwd, 'hello.txt');
    model.setScript(writeScript(file, 'hi from opencode\n'));
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await start(cwd, sink);
    expect(await backend.prompt('please write hello.txt')).toEqual({ stopReason: 'end_turn' });

    expect(sink.asks).toEqual([
      {
        toolCallId: expect.any(String) as string,
        title: 'Edit hello.txt',
        options: [
          { id: 'once', name: 'Allow once', kind: 'allow_once' },
          { id: 'always', name: 'Always allow', kind: 'allow_always' },
          { id: 'reject', name: 'Reject', kind: 'reject_once' },
        ],
      },
    ]);
    expect(await readFile(file, 'utf8')).toBe('hi from opencode\n');
    const toolCallId = sink.asks[0]?.toolCallId;
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.call', toolCallId, kind: 'edit', title: 'write' }),
    );
    expect(sink.events).toContainEqual(
      expect.objectContaining({ type: 'tool.update', toolCallId, status: 'completed' }),
    );
    expect(sink.text()).toBe('Wrote it.');
  });

  it('writes nothing when the write question is rejected, or cancelled', async () => {
    for (const answer of [pick('reject_once'), () => ({ cancelled: true as const })]) {
      const cwd = await world.repo(`nope-${open.length}`);
      const file = path.join(cwd, 'nope.txt');
      model.setScript(writeScript(file, 'x'));
      const sink = new RecordingSink(answer);
      const backend = await start(cwd, sink);
      await backend.prompt('please write nope.txt');
      expect(sink.asks).toHaveLength(1);
      expect(existsSync(file)).toBe(false);
    }
  });

  it('streams two sessions in two worktrees at once, each exactly its own text', async () => {
    const tokens = (who: string) => wordTokens(30, who);
    model.setScript(
      turn((req) => ({
        content: tokens(lastUserText(req).includes('alpha') ? 'a' : 'b'),
        delayMs: 5,
      })),
    );
    const [sa, sb] = [new RecordingSink(), new RecordingSink()];
    const [a, b] = await Promise.all([
      start(await world.repo('alpha'), sa),
      start(await world.repo('beta'), sb),
    ]);
    await Promise.all([a.prompt('alpha'), b.prompt('beta')]);
    expect(sa.text()).toBe(tokens('a').join(''));
    expect(sb.text()).toBe(tokens('b').join(''));
  });

  it('two sessions in the same worktree each get only their own text', async () => {
    const cwd = await world.repo('shared');
    model.setScript(turn((req) => ({ content: ['for ', lastUserText(req)], delayMs: 5 })));
    const [sa, sb] = [new RecordingSink(), new RecordingSink()];
    const [a, b] = await Promise.all([start(cwd, sa), start(cwd, sb)]);
    await Promise.all([a.prompt('first'), b.prompt('second')]);
    expect(sa.text()).toBe('for first');
    expect(sb.text()).toBe('for second');
  });

  it('cancel ends a running turn as cancelled', async () => {
    model.setScript(turn(() => ({ content: wordTokens(400), delayMs: 20 })));
    const sink = new RecordingSink();
    const backend = await start(await world.repo('cancel'), sink);
    const turnDone = backend.prompt('talk a lot');
    await sink.next((e) => e.type === 'message.delta');
    await backend.cancel();
    expect(await turnDone).toEqual({ stopReason: 'cancelled' });
  });

  it('a turn with a model or a mode opencode does not know fails with its reason', async () => {
    model.setScript(turn(() => ({ content: ['never'] })));
    const cwd = await world.repo('unknown');
    const badModel = await start(cwd, new RecordingSink(), { model: 'nope' });
    await expect(badModel.prompt('hi')).rejects.toThrow('opencode: Model not found: boocode/nope.');
    const badMode = await start(cwd, new RecordingSink(), { mode: 'nope' });
    await expect(badMode.prompt('hi')).rejects.toThrow('opencode: Agent not found: "nope".');
  });

  it('runs the turn in the mode asked for (an opencode agent)', async () => {
    model.setScript(turn(() => ({ content: ['planned'] })));
    const sent = (text: string) =>
      JSON.stringify(model.requests.filter((r) => lastUserText(r).includes(text)).at(-1)?.messages);
    const planned = await start(await world.repo('m1'), new RecordingSink(), { mode: 'plan' });
    expect(planned.started.currentMode).toBe('plan');
    await planned.prompt('make a plan');
    // opencode's plan agent reminds the model it may not edit; its build agent does not.
    expect(sent('make a plan')).toContain('Plan mode ACTIVE');
    const built = await start(await world.repo('m2'), new RecordingSink(), { mode: 'build' });
    await built.prompt('just build');
    expect(sent('just build')).not.toContain('Plan mode ACTIVE');
  });
});
