import { describe, expect, it } from 'vitest';
import { toTurns } from '../../src/chat/turns.ts';

describe('toTurns', () => {
  it('splits an assistant message that used tools into calls, results and the answer', () => {
    const turns = toTurns([
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'hmm' },
          { type: 'text', text: 'Let me look.' },
          {
            type: 'tool_call',
            callId: 'c1',
            name: 'read_file',
            args: '{"path":"a"}',
            state: 'done',
          },
          { type: 'tool_result', callId: 'c1', name: 'read_file', ok: true, text: 'A' },
          { type: 'text', text: 'It says A.' },
        ],
      },
    ]);
    expect(turns).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'read_file', arguments: '{"path":"a"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'A' },
      { role: 'assistant', content: 'It says A.' },
    ]);
  });

  it('answers a call that a stop cut off before its result', () => {
    const turns = toTurns([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', callId: 'c9', name: 'search', args: '{}', state: 'running' }],
      },
    ]);
    expect(turns.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'c9',
      content: 'No result: the reply was stopped.',
    });
  });
});
