import { describe, expect, it } from 'vitest';
import type { ToolCallPart, ToolResultPart } from '@boocode/protocol';
import { subtaskStatus } from '../../../src/features/chat/subtask-row.tsx';

const call = (state: ToolCallPart['state']): ToolCallPart => ({
  type: 'tool_call',
  callId: 'c1',
  name: 'dispatch',
  args: JSON.stringify({ provider: 'qwen', prompt: 'do it' }),
  state,
});
const result = (text: string, ok = true): ToolResultPart => ({
  type: 'tool_result',
  callId: 'c1',
  name: 'dispatch',
  ok,
  text,
});
const answer = (status: string) =>
  JSON.stringify({ status, summary: '', changedPaths: [], sessionId: null });

describe('a subtask row’s status', () => {
  it('is running while the call runs without a result', () => {
    expect(subtaskStatus(call('running'), null)).toBe('running');
  });

  it('is the result’s own status once it is back: done, failed or cancelled', () => {
    expect(subtaskStatus(call('done'), result(answer('done')))).toBe('done');
    expect(subtaskStatus(call('error'), result(answer('failed'), false))).toBe('failed');
    expect(subtaskStatus(call('error'), result(answer('cancelled'), false))).toBe('cancelled');
  });

  it('is failed for a result that is no dispatch result (bad arguments) or a call that ended without one', () => {
    expect(subtaskStatus(call('error'), result('Invalid arguments: provider', false))).toBe(
      'failed',
    );
    expect(subtaskStatus(call('error'), null)).toBe('failed');
  });
});
