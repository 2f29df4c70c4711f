import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startModelServer, wordTokens, type ModelServer } from '@boocode/testkit';
import { ModelClient } from '../../src/chat/model-client.ts';
import {
  ReplyRun,
  type ReplyEvent,
  type ReplyRunOptions,
  type ReplyState,
} from '../../src/chat/reply-run.ts';
import { toolLoop } from '../../src/chat/tool-loop.ts';
import type { Toolbox } from '../../src/chat/toolbox.ts';

// A run with no chat at all: what the boocode agent backend will build on.
let model: ModelServer;
beforeAll(async () => {
  model = await startModelServer();
});
afterAll(async () => {
  await model.close();
});

const echo: Toolbox = {
  specs: [{ name: 'echo', description: 'Says it back.', parameters: { type: 'object' } }],
  system: '',
  run: async (call) => ({ ok: true, text: `echo ${call.arguments}` }),
};

function harness(opts: { ready?: boolean; failSaves?: number } = {}) {
  const events: ReplyEvent[] = [];
  const saved: ReplyState[] = [];
  let failures = opts.failSaves ?? 0;
  const options: ReplyRunOptions = {
    models: new ModelClient(model.url, null),
    model: 'scripted-small',
    sink: { emit: (ev) => void events.push(ev) },
    store: {
      save: async (state) => {
        if (failures-- > 0) throw new Error('the disk is full');
        saved.push(state);
      },
    },
    log: { error: () => {} },
    price: (u) => u.promptTokens + u.completionTokens,
    ready: Promise.resolve(opts.ready ?? true),
  };
  return { run: new ReplyRun(options), events, saved };
}

describe('a reply run on its own', () => {
  it('loops over tools with only a model, a toolbox, a sink and a store', async () => {
    model.setScript([
      {
        toolCalls: [{ name: 'echo', arguments: '{"a":1}' }],
        usage: { prompt_tokens: 10, completion_tokens: 2 },
      },
      { content: ['do', 'ne'], usage: { prompt_tokens: 20, completion_tokens: 1 } },
    ]);
    const { run, events, saved } = harness();
    const turns = [{ role: 'user' as const, content: 'go' }];
    expect(await run.execute((r) => toolLoop(r, { turns, tools: echo }))).toBe(true);
    // The tool result's share of the second prompt may go out before or after the text.
    expect(events.map((e) => e.type).sort()).toEqual(
      ['part.added', 'part.updated', 'part.added', 'part.updated', 'part.delta', 'finished'].sort(),
    );
    expect(events.at(-1)).toMatchObject({
      status: 'complete',
      usage: { promptTokens: 30, completionTokens: 3 },
      costMicros: 33,
    });
    expect(saved.at(-1)).toMatchObject({
      status: 'complete',
      parts: [
        { type: 'tool_call', name: 'echo', state: 'done' },
        { type: 'tool_result', text: 'echo {"a":1}', tokens: 8 },
        { type: 'text', text: 'done' },
      ],
    });
  });

  it('ends a stopped run as stopped, and retries its last write until it lands', async () => {
    model.setScript([{ content: wordTokens(2000), delayMs: 2 }]);
    const { run, events, saved } = harness({ failSaves: 2 });
    const ran = run.execute((r) =>
      toolLoop(r, { turns: [{ role: 'user', content: 'go' }], tools: null }),
    );
    await new Promise((r) => setTimeout(r, 100));
    run.abort.abort('stop');
    expect(await ran).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'finished', status: 'stopped' });
    expect(saved.at(-1)?.status).toBe('stopped');
    expect(saved.at(-1)?.parts).toEqual(run.parts);
  });

  it('emits and writes nothing when the reply never came to exist', async () => {
    model.setScript([{ content: ['hi'] }]);
    const { run, events, saved } = harness({ ready: false });
    run.abort.abort('cancel');
    expect(await run.execute((r) => toolLoop(r, { turns: [], tools: null }))).toBe(false);
    expect(events).toEqual([]);
    expect(saved).toEqual([]);
  });
});
