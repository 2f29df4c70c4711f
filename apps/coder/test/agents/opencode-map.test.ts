import { describe, expect, it } from 'vitest';
import { MAX_TOOL_OUTPUT } from '../../src/agents/acp/map-update.ts';
import {
  mapDelta,
  mapPart,
  mapTodos,
  mapUsage,
  toolKind,
  type PartMemo,
} from '../../src/agents/opencode/map-part.ts';
import { SessionMapper } from '../../src/agents/opencode/session-mapper.ts';
import type { MessageInfo, Part } from '../../src/agents/opencode/wire.ts';

const ids = { sessionID: 'ses_1', messageID: 'msg_a' };
const text = (t: string, ended = false, id = 'prt_t'): Part => ({
  ...ids,
  id,
  type: 'text',
  text: t,
  time: ended ? { start: 1, end: 2 } : { start: 1 },
});
const tool = (state: Record<string, unknown>): Part =>
  ({ ...ids, id: 'prt_w', type: 'tool', callID: 'call_1', tool: 'write', state }) as Part;
const delta = (d: string) => ({ field: 'text', delta: d });

/** Feeds steps through the mappers, threading the memo, and returns every event. */
function run(steps: ((memo: PartMemo | undefined) => ReturnType<typeof mapPart> | null)[]) {
  let memo: PartMemo | undefined;
  const events = [];
  for (const step of steps) {
    const r = step(memo);
    if (!r) continue;
    memo = r.memo;
    events.push(...r.events);
  }
  return events;
}

describe('mapPart and mapDelta: text', () => {
  it('streams deltas, and the final update of the same text adds nothing', () => {
    const events = run([
      (m) => mapPart(text(''), m),
      (m) => mapDelta(delta('Hel'), m),
      (m) => mapDelta(delta('lo'), m),
      (m) => mapPart(text('Hello', true), m),
    ]);
    expect(events).toEqual([
      { type: 'message.delta', text: 'Hel' },
      { type: 'message.delta', text: 'lo' },
    ]);
  });

  it('a final update longer than the deltas emits only the missing tail', () => {
    const events = run([
      (m) => mapPart(text(''), m),
      (m) => mapDelta(delta('Hel'), m),
      (m) => mapPart(text('Hello world', true), m),
    ]);
    expect(events.map((e) => (e.type === 'message.delta' ? e.text : ''))).toEqual([
      'Hel',
      'lo world',
    ]);
  });

  it('a delta of a part never announced is dropped (its final update carries the text)', () => {
    expect(mapDelta(delta('x'), undefined)).toBeNull();
  });

  it('a re-read of a finished part fills in what the dropped stream missed, and later deltas are stale', () => {
    const events = run([
      (m) => mapPart(text(''), m),
      (m) => mapDelta(delta('one '), m),
      (m) => mapPart(text('one two three', true), m, true),
      (m) => mapDelta(delta('two '), m),
      (m) => mapPart(text('one two three', true), m),
    ]);
    expect(events).toEqual([
      { type: 'message.delta', text: 'one ' },
      { type: 'message.delta', text: 'two three' },
    ]);
  });

  it('after a re-read of a part still streaming, deltas are dropped and its final update completes it', () => {
    const events = run([
      (m) => mapPart(text(''), m),
      (m) => mapDelta(delta('one '), m),
      (m) => mapPart(text('one two ', false), m, true),
      // The new stream replays what the re-read already showed, then goes on.
      (m) => mapDelta(delta('two '), m),
      (m) => mapDelta(delta('three'), m),
      (m) => mapPart(text('one two three', true), m),
    ]);
    expect(events.map((e) => (e.type === 'message.delta' ? e.text : '')).join('')).toBe(
      'one two three',
    );
    expect(events).toHaveLength(3);
  });

  it('a re-read behind what was streamed adds nothing', () => {
    const events = run([
      (m) => mapPart(text(''), m),
      (m) => mapDelta(delta('abc'), m),
      (m) => mapPart(text('a'), m, true),
    ]);
    expect(events).toEqual([{ type: 'message.delta', text: 'abc' }]);
  });

  it('maps reasoning to reasoning deltas', () => {
    const reasoning = { ...ids, id: 'prt_r', type: 'reasoning', text: '' } as Part;
    const events = run([
      (m) => mapPart(reasoning, m),
      (m) => mapDelta(delta('hmm'), m),
      (m) => mapPart({ ...reasoning, text: 'hmm ok', time: { start: 1, end: 2 } } as Part, m),
    ]);
    expect(events).toEqual([
      { type: 'reasoning.delta', text: 'hmm' },
      { type: 'reasoning.delta', text: ' ok' },
    ]);
  });

  it('shows no synthetic or ignored text, and nothing of step, patch or snapshot parts', () => {
    expect(mapPart({ ...text('sys', true), synthetic: true } as Part, undefined).events).toEqual(
      [],
    );
    expect(mapPart({ ...text('x', true), ignored: true } as Part, undefined).events).toEqual([]);
    for (const type of ['step-start', 'step-finish', 'patch', 'snapshot']) {
      expect(mapPart({ ...ids, id: 'p', type } as Part, undefined).events).toEqual([]);
    }
  });
});

describe('mapPart: tools', () => {
  const input = { filePath: '/w/a.txt', content: 'hi' };

  it('announces a call once it runs, with its input, then its end with title and output', () => {
    const events = run([
      (m) => mapPart(tool({ status: 'pending', input: {}, raw: '' }), m),
      (m) => mapPart(tool({ status: 'running', input }), m),
      (m) => mapPart(tool({ status: 'running', input }), m),
      (m) => mapPart(tool({ status: 'completed', input, output: 'Wrote.', title: 'a.txt' }), m),
      (m) => mapPart(tool({ status: 'completed', input, output: 'Wrote.', title: 'a.txt' }), m),
    ]);
    expect(events).toEqual([
      {
        type: 'tool.call',
        toolCallId: 'call_1',
        title: 'write',
        kind: 'edit',
        status: 'in_progress',
        input,
      },
      {
        type: 'tool.update',
        toolCallId: 'call_1',
        status: 'completed',
        title: 'a.txt',
        output: 'Wrote.',
      },
    ]);
  });

  it('a call first seen finished (a re-read) is announced and ended at once', () => {
    const events = mapPart(tool({ status: 'error', input, error: 'denied' }), undefined).events;
    expect(events).toEqual([
      expect.objectContaining({ type: 'tool.call', status: 'failed' }),
      { type: 'tool.update', toolCallId: 'call_1', status: 'failed', output: 'denied' },
    ]);
  });

  it('keeps the tail of a long output', () => {
    const output = 'x'.repeat(MAX_TOOL_OUTPUT) + 'END';
    const [, update] = mapPart(
      tool({ status: 'completed', input, output, title: 't' }),
      undefined,
    ).events;
    expect(update).toMatchObject({ type: 'tool.update' });
    const out = update?.type === 'tool.update' ? update.output : '';
    expect(out).toHaveLength(MAX_TOOL_OUTPUT);
    expect(out?.endsWith('END')).toBe(true);
  });

  it("names opencode's tools by ACP's kinds", () => {
    expect(
      ['write', 'edit', 'bash', 'read', 'grep', 'webfetch', 'todowrite', 'task'].map(toolKind),
    ).toEqual(['edit', 'edit', 'execute', 'read', 'search', 'fetch', 'think', 'other']);
  });
});

describe('mapUsage and mapTodos', () => {
  const info = (over: Partial<MessageInfo>): MessageInfo => ({
    id: 'msg_a',
    sessionID: 'ses_1',
    role: 'assistant',
    time: { created: 1 },
    ...over,
  });

  it("a finished assistant message's tokens (reasoning as output) and cost in micro-dollars", () => {
    expect(mapUsage(info({}))).toBeNull();
    expect(
      mapUsage(
        info({
          time: { created: 1, completed: 2 },
          tokens: { input: 120, output: 30, reasoning: 5 },
          cost: 0.0123,
        }),
      ),
    ).toEqual({ type: 'usage', inputTokens: 120, outputTokens: 35, costMicros: 12_300 });
    expect(mapUsage(info({ role: 'user', time: { created: 1, completed: 2 } }))).toBeNull();
  });

  it('maps a todo list to a plan (a cancelled item is done with, unknown priorities left out)', () => {
    expect(
      mapTodos([
        { content: 'a', status: 'completed', priority: 'high' },
        { content: 'b', status: 'cancelled', priority: 'urgent' },
        { content: 'c', status: 'in_progress', priority: 'low' },
      ]),
    ).toEqual({
      type: 'plan',
      entries: [
        { content: 'a', status: 'completed', priority: 'high' },
        { content: 'b', status: 'completed' },
        { content: 'c', status: 'in_progress', priority: 'low' },
      ],
    });
  });
});

describe('SessionMapper', () => {
  const assistant = {
    id: 'msg_a',
    sessionID: 'ses_1',
    role: 'assistant' as const,
    time: { created: 1 },
  };
  const user = { ...assistant, id: 'msg_u', role: 'user' as const };
  const partEvent = (part: Part) =>
    ({ type: 'message.part.updated', properties: { sessionID: 'ses_1', part } }) as const;

  it("drops the prompt's own parts and other sessions' parts", () => {
    const m = new SessionMapper('ses_1');
    m.event({ type: 'message.updated', properties: { sessionID: 'ses_1', info: user } });
    m.event({ type: 'message.updated', properties: { sessionID: 'ses_1', info: assistant } });
    expect(m.event(partEvent({ ...text('say hi', true), messageID: 'msg_u' } as Part))).toEqual([]);
    expect(m.event(partEvent({ ...text('other', true), sessionID: 'ses_2' } as Part))).toEqual([]);
    expect(m.event(partEvent(text('mine', true)))).toEqual([
      { type: 'message.delta', text: 'mine' },
    ]);
  });

  it('a re-read emits only what the live stream missed, and usage once', () => {
    const m = new SessionMapper('ses_1');
    m.event({ type: 'message.updated', properties: { sessionID: 'ses_1', info: assistant } });
    m.event(partEvent(text('')));
    m.event({
      type: 'message.part.delta',
      properties: { ...ids, partID: 'prt_t', field: 'text', delta: 'Hello ' },
    });
    const done = {
      ...assistant,
      time: { created: 1, completed: 2 },
      tokens: { input: 10, output: 2, reasoning: 0 },
      cost: 0,
    };
    const body = [
      { info: user, parts: [{ ...text('say hi', true), messageID: 'msg_u' }] },
      { info: done, parts: [text('Hello world', true)] },
    ];
    expect(m.reread(body)).toEqual([
      { type: 'message.delta', text: 'world' },
      { type: 'usage', inputTokens: 10, outputTokens: 2, costMicros: 0 },
    ]);
    expect(m.reread(body)).toEqual([]);
    expect(
      m.event({ type: 'message.updated', properties: { sessionID: 'ses_1', info: done } }),
    ).toEqual([]);
  });
});
