import { describe, expect, it } from 'vitest';
import type { Part } from '@boocode/protocol';
import { chatSums, creditToolTokens, ReplyUsage } from '../../src/chat/usage.ts';

const result = (text: string): Part => ({
  type: 'tool_result',
  callId: text,
  name: 'r',
  ok: true,
  text,
});

describe('usage of a reply', () => {
  it('sums the calls, prices each, and tells what the last round added to the prompt', () => {
    const usage = new ReplyUsage((u) => u.promptTokens + 10 * u.completionTokens);
    expect(usage.total).toBeNull();
    expect(usage.record(null)).toBeNull();
    expect(usage.total).toBeNull();
    expect(usage.record({ promptTokens: 100, completionTokens: 10 })).toBeNull();
    expect(usage.record({ promptTokens: 180, completionTokens: 20 })).toBe(70);
    expect(usage.total).toEqual({ promptTokens: 280, completionTokens: 30 });
    expect(usage.calls.map((c) => c.costMicros)).toEqual([200, 380]);
    expect(
      chatSums([...usage.calls, { promptTokens: 1, completionTokens: 1, costMicros: null }]),
    ).toEqual({
      promptTokens: 281,
      completionTokens: 31,
      costMicros: 580,
    });
  });

  it('shares the added tokens among the trailing tool results by their length (plus one), to the token', () => {
    const parts: Part[] = [
      result('x'.repeat(99)),
      { type: 'text', text: 'ok' },
      result('a'.repeat(29)),
      result('b'.repeat(9)),
    ];
    expect(creditToolTokens(parts, 41)).toEqual([2, 3]);
    expect(parts.slice(2).map((p) => (p.type === 'tool_result' ? p.tokens : null))).toEqual([
      31, 10,
    ]);
    expect(parts[0]).not.toHaveProperty('tokens');
    expect(creditToolTokens([{ type: 'text', text: 'no tools' }], 5)).toEqual([]);
    // The next call's text may already be out: the results end where that call began.
    const early: Part[] = [result('d'), { type: 'text', text: 'next' }];
    expect(creditToolTokens(early, 7, 1)).toEqual([0]);
    expect(early[0]).toMatchObject({ tokens: 7 });
    const negative = [result('c')];
    creditToolTokens(negative, -3);
    expect(negative[0]).toMatchObject({ tokens: 0 });
  });
});
