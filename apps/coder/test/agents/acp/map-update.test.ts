import type { SessionUpdate } from '@agentclientprotocol/sdk';
import { describe, expect, it } from 'vitest';
import { mapAcpUpdate, MAX_TOOL_OUTPUT } from '../../../src/agents/acp/map-update.ts';

// Update shapes as the real agents sent them here (qwen 0.15.10, claude-code-acp 0.16.2).
describe('mapAcpUpdate', () => {
  it('maps a text chunk to a message delta', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'agent_message_chunk',
        content: { type: 'text', text: 'Hello ' },
      }),
    ).toEqual([{ type: 'message.delta', text: 'Hello ' }]);
  });

  it("maps qwen's empty chunk carrying _meta.usage to a usage event only", () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'agent_message_chunk',
        content: { type: 'text', text: '' },
        _meta: {
          usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13, thoughtTokens: 0 },
          durationMs: 67,
        },
      }),
    ).toEqual([{ type: 'usage', inputTokens: 10, outputTokens: 3, costMicros: null }]);
  });

  it('maps a thought chunk to a reasoning delta', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'agent_thought_chunk',
        content: { type: 'text', text: 'let me see' },
      }),
    ).toEqual([{ type: 'reasoning.delta', text: 'let me see' }]);
  });

  it('drops a non-text chunk (an image has no text to show)', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'agent_message_chunk',
        content: { type: 'image', data: 'AAAA', mimeType: 'image/png' },
      }),
    ).toEqual([]);
  });

  it('maps a tool call with its raw input, defaulting kind and status', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'tool_call',
        toolCallId: 'toolu_1',
        title: 'Write',
        rawInput: {},
      }),
    ).toEqual([
      {
        type: 'tool.call',
        toolCallId: 'toolu_1',
        title: 'Write',
        kind: 'other',
        status: 'pending',
        input: {},
      },
    ]);
  });

  it('maps a tool call that already carries a diff to the call and its output', () => {
    const events = mapAcpUpdate({
      sessionUpdate: 'tool_call',
      toolCallId: 'toolu_1',
      title: 'Write /repo/c.txt',
      kind: 'edit',
      status: 'pending',
      rawInput: { file_path: '/repo/c.txt', content: 'hi\n' },
      content: [{ type: 'diff', path: '/repo/c.txt', oldText: null, newText: 'hi\n' }],
    });
    expect(events[0]).toMatchObject({
      type: 'tool.call',
      kind: 'edit',
      title: 'Write /repo/c.txt',
    });
    expect(events[1]).toMatchObject({ type: 'tool.update', toolCallId: 'toolu_1' });
    const output = events[1]?.type === 'tool.update' ? events[1].output : '';
    expect(output).toContain('+hi');
  });

  it("maps qwen's completed update with a diff to a unified-diff output", () => {
    const events = mapAcpUpdate({
      sessionUpdate: 'tool_call_update',
      toolCallId: 'call_0',
      status: 'completed',
      content: [{ type: 'diff', path: 'hello.txt', oldText: 'old\n', newText: 'new\n' }],
    });
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ type: 'tool.update', toolCallId: 'call_0', status: 'completed' });
    const output = event?.type === 'tool.update' ? (event.output ?? '') : '';
    expect(output).toContain('-old');
    expect(output).toContain('+new');
  });

  it('joins text content of an update, skipping terminal references', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'tool_call_update',
        toolCallId: 'b1',
        title: 'ls',
        content: [
          { type: 'content', content: { type: 'text', text: 'a.txt' } },
          { type: 'terminal', terminalId: 't1' },
          { type: 'content', content: { type: 'text', text: 'b.txt' } },
        ],
      }),
    ).toEqual([{ type: 'tool.update', toolCallId: 'b1', title: 'ls', output: 'a.txt\nb.txt' }]);
  });

  it('keeps the tail of a huge tool output', () => {
    const text = 'x'.repeat(MAX_TOOL_OUTPUT) + 'END';
    const [event] = mapAcpUpdate({
      sessionUpdate: 'tool_call_update',
      toolCallId: 'b1',
      content: [{ type: 'content', content: { type: 'text', text } }],
    });
    const output = event?.type === 'tool.update' ? (event.output ?? '') : '';
    expect(output).toHaveLength(MAX_TOOL_OUTPUT);
    expect(output.endsWith('END')).toBe(true);
  });

  it('drops an update that says nothing (only raw output or _meta)', () => {
    expect(
      mapAcpUpdate({ sessionUpdate: 'tool_call_update', toolCallId: 'b1', rawOutput: 'x' }),
    ).toEqual([]);
  });

  it('maps a plan to its entries', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'plan',
        entries: [
          { content: 'read', status: 'completed', priority: 'high' },
          { content: 'write', status: 'pending', priority: 'low' },
        ],
      }),
    ).toEqual([
      {
        type: 'plan',
        entries: [
          { content: 'read', status: 'completed', priority: 'high' },
          { content: 'write', status: 'pending', priority: 'low' },
        ],
      },
    ]);
  });

  it('maps a usage_update with a USD cost to its cumulative cost in micros', () => {
    expect(
      mapAcpUpdate({
        sessionUpdate: 'usage_update',
        used: 5000,
        size: 200_000,
        cost: { amount: 0.0125, currency: 'USD' },
      }),
    ).toEqual([{ type: 'usage', inputTokens: 0, outputTokens: 0, costMicros: 12_500 }]);
  });

  it('maps a usage_update without a USD cost to a null cost', () => {
    expect(mapAcpUpdate({ sessionUpdate: 'usage_update', used: 1, size: 2 })).toEqual([
      { type: 'usage', inputTokens: 0, outputTokens: 0, costMicros: null },
    ]);
  });

  it.each<SessionUpdate>([
    { sessionUpdate: 'available_commands_update', availableCommands: [] },
    { sessionUpdate: 'current_mode_update', currentModeId: 'plan' },
    { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'replayed' } },
  ])('maps $sessionUpdate to nothing', (update) => {
    expect(mapAcpUpdate(update)).toEqual([]);
  });
});
