import type { SessionUpdate } from '@agentclientprotocol/sdk';
import type { AgentEvent } from '@boocode/protocol';
import { describe, expect, it } from 'vitest';
import { AcpEvents } from '../../../src/agents/acp/acp-events.ts';

function setup() {
  const events: AgentEvent[] = [];
  const acp = new AcpEvents((e) => events.push(e));
  acp.setSession('s1');
  const update = (u: SessionUpdate, sessionId = 's1') => acp.onUpdate({ sessionId, update: u });
  return { events, acp, update };
}
const usd = (amount: number): SessionUpdate => ({
  sessionUpdate: 'usage_update',
  used: 100,
  size: 1000,
  cost: { amount, currency: 'USD' },
});

describe('AcpEvents', () => {
  it("drops another session's updates", () => {
    const { events, update } = setup();
    update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'x' } }, 's2');
    expect(events).toEqual([]);
  });

  it('turns the cumulative cost of usage_update into increments', () => {
    const { events, update } = setup();
    update(usd(0.01));
    update(usd(0.01));
    update(usd(0.025));
    expect(events).toEqual([
      { type: 'usage', inputTokens: 0, outputTokens: 0, costMicros: 10_000 },
      { type: 'usage', inputTokens: 0, outputTokens: 0, costMicros: 15_000 },
    ]);
  });

  it("counts a turn's tokens from the reply when no chunk reported them", () => {
    const { events, acp } = setup();
    acp.startTurn();
    acp.endTurn({
      stopReason: 'end_turn',
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
    });
    expect(events).toEqual([
      { type: 'usage', inputTokens: 5, outputTokens: 2, costMicros: null },
      { type: 'done', stopReason: 'end_turn' },
    ]);
  });

  it('counts tokens once when chunks reported them and the reply repeats them', () => {
    const { events, acp, update } = setup();
    acp.startTurn();
    update({
      sessionUpdate: 'agent_message_chunk',
      content: { type: 'text', text: '' },
      _meta: { usage: { inputTokens: 5, outputTokens: 2 } },
    });
    acp.endTurn({
      stopReason: 'end_turn',
      usage: { inputTokens: 5, outputTokens: 2, totalTokens: 7 },
    });
    expect(events).toEqual([
      { type: 'usage', inputTokens: 5, outputTokens: 2, costMicros: null },
      { type: 'done', stopReason: 'end_turn' },
    ]);
  });

  it('announces a call first seen in a permission question, once', () => {
    const { events, acp, update } = setup();
    update({ sessionUpdate: 'tool_call', toolCallId: 'a', title: 'Read a', kind: 'read' });
    acp.onPermissionCall({ toolCallId: 'a', title: 'Read a' });
    acp.onPermissionCall({ toolCallId: 'b', title: 'Write b', kind: 'edit' });
    acp.onPermissionCall({ toolCallId: 'b', title: 'Write b', kind: 'edit' });
    expect(events.map((e) => (e.type === 'tool.call' ? e.toolCallId : e.type))).toEqual(['a', 'b']);
  });
});
