import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { AgentEvent } from '@boocode/protocol';
import { describe, expect, it } from 'vitest';
import {
  initialMapState,
  mapSdkMessage,
  savedTotalUsd,
  type MapState,
} from '../../src/agents/claude/map-message.ts';

const base = { session_id: 's1', uuid: '00000000-0000-4000-8000-000000000000' };
const stream = (event: object, parent: string | null = null) =>
  ({ type: 'stream_event', event, parent_tool_use_id: parent, ...base }) as unknown as SDKMessage;
const assistant = (id: string, content: object[], parent: string | null = null) =>
  ({
    type: 'assistant',
    message: { id, role: 'assistant', content, stop_reason: null },
    parent_tool_use_id: parent,
    ...base,
  }) as unknown as SDKMessage;
const user = (content: object[]) =>
  ({
    type: 'user',
    message: { role: 'user', content },
    parent_tool_use_id: null,
    ...base,
  }) as unknown as SDKMessage;
const result = (totalCostUsd: number, usage = { input_tokens: 10, output_tokens: 4 }) =>
  ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    stop_reason: 'end_turn',
    total_cost_usd: totalCostUsd,
    usage: { cache_creation_input_tokens: 2, cache_read_input_tokens: 3, ...usage },
    ...base,
  }) as unknown as SDKMessage;
const textDelta = (text: string) =>
  stream({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

/** Maps messages in order, threading the state; all events and the last state. */
function run(msgs: SDKMessage[], state: MapState = initialMapState()) {
  const events: AgentEvent[] = [];
  for (const msg of msgs) {
    const out = mapSdkMessage(msg, state);
    events.push(...out.events);
    state = out.state;
  }
  return { events, state };
}

describe('mapSdkMessage', () => {
  it('streams text deltas and does not repeat them from the full assistant message', () => {
    const { events } = run([
      stream({ type: 'message_start', message: { id: 'msg_1' } }),
      textDelta('Hello '),
      textDelta('there.'),
      assistant('msg_1', [{ type: 'text', text: 'Hello there.' }]),
    ]);
    expect(events).toEqual([
      { type: 'message.delta', text: 'Hello ' },
      { type: 'message.delta', text: 'there.' },
    ]);
  });

  it('takes the text of an assistant message that did not stream', () => {
    const { events } = run([assistant('msg_2', [{ type: 'text', text: 'whole' }])]);
    expect(events).toEqual([{ type: 'message.delta', text: 'whole' }]);
  });

  it('streams thinking as reasoning deltas', () => {
    const { events } = run([
      stream({ type: 'message_start', message: { id: 'msg_3' } }),
      stream({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'thinking_delta', thinking: 'hm' },
      }),
      assistant('msg_3', [{ type: 'thinking', thinking: 'hm', signature: 'x' }]),
    ]);
    expect(events).toEqual([{ type: 'reasoning.delta', text: 'hm' }]);
  });

  it('maps a tool use to a tool call with its kind and input, and its result to an update', () => {
    const input = { file_path: '/w/a.txt', content: 'x' };
    const { events } = run([
      assistant('msg_4', [{ type: 'tool_use', id: 'toolu_1', name: 'Write', input }]),
      user([
        { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'ok' }] },
      ]),
      user([{ type: 'tool_result', tool_use_id: 'toolu_2', content: 'denied', is_error: true }]),
    ]);
    expect(events).toEqual([
      {
        type: 'tool.call',
        toolCallId: 'toolu_1',
        title: 'Write /w/a.txt',
        kind: 'edit',
        status: 'pending',
        input,
      },
      { type: 'tool.update', toolCallId: 'toolu_1', status: 'completed', output: 'ok' },
      { type: 'tool.update', toolCallId: 'toolu_2', status: 'failed', output: 'denied' },
    ]);
  });

  it("keeps a subagent's text out of the reply but shows its tool calls", () => {
    const { events } = run([
      stream({ type: 'message_start', message: { id: 'msg_5' } }, 'toolu_task'),
      stream(
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'sub' } },
        'toolu_task',
      ),
      assistant(
        'msg_5',
        [
          { type: 'text', text: 'sub' },
          { type: 'tool_use', id: 't9', name: 'Bash', input: { command: 'ls' } },
        ],
        'toolu_task',
      ),
    ]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'tool.call',
        toolCallId: 't9',
        title: 'Bash ls',
        kind: 'execute',
      }),
    ]);
  });

  it("turns each result into that turn's usage: tokens, and the cost the running total added", () => {
    const { events, state } = run([result(0.0001), result(0.00025)]);
    expect(events).toEqual([
      { type: 'usage', inputTokens: 15, outputTokens: 4, costMicros: 100 },
      { type: 'usage', inputTokens: 15, outputTokens: 4, costMicros: 150 },
    ]);
    expect(state.costUsd).toBe(0.00025);
  });

  it('counts a total that started again as the whole cost of the turn', () => {
    const { events } = run([result(0.0005), result(0.00002)]);
    expect(events[1]).toMatchObject({ costMicros: 20 });
  });

  it('reports no cost when a result carries no usable total', () => {
    const { events, state } = run([result(0.0001), result(Number.NaN)]);
    expect(events[1]).toMatchObject({ costMicros: null });
    expect(state.costUsd).toBe(0.0001);
  });

  it('says so when the store could not save part of the transcript', () => {
    const lost = {
      type: 'system',
      subtype: 'mirror_error',
      error: 'connection refused',
      key: { projectKey: 'p', sessionId: 's1' },
      ...base,
    } as unknown as SDKMessage;
    expect(run([lost]).events).toEqual([
      { type: 'error', message: 'The transcript was not saved: connection refused' },
    ]);
  });

  it('maps other system messages to nothing', () => {
    const init = { type: 'system', subtype: 'init', ...base } as unknown as SDKMessage;
    expect(run([init]).events).toEqual([]);
  });
});

describe('savedTotalUsd', () => {
  it("takes the last cost-state entry's total, 0 without one", () => {
    const cost = (totalCostUSD: unknown) => ({ type: 'cost-state', totalCostUSD });
    expect(savedTotalUsd([cost(0.1), { type: 'user' }, cost(0.3), { type: 'mode' }])).toBe(0.3);
    expect(savedTotalUsd([{ type: 'user' }])).toBe(0);
    expect(savedTotalUsd([cost('0.3')])).toBe(0);
    expect(savedTotalUsd(null)).toBe(0);
  });
});
