import { describe, expect, it } from 'vitest';
import { ThinkParser, type Piece } from '../../src/chat/think-parser.ts';

function run(chunks: string[]): Piece[] {
  const p = new ThinkParser();
  const out = [...chunks.flatMap((c) => p.push(c)), ...p.end()];
  // merge neighbours of one kind, as the message parts do
  return out.reduce<Piece[]>((acc, x) => {
    const last = acc.at(-1);
    if (last?.kind === x.kind) last.text += x.text;
    else acc.push({ ...x });
    return acc;
  }, []);
}

describe('ThinkParser', () => {
  const whole = 'Hi <think>step 1 < 2</think>answer <b>';
  const expected = [
    { kind: 'text', text: 'Hi ' },
    { kind: 'reasoning', text: 'step 1 < 2' },
    { kind: 'text', text: 'answer <b>' },
  ];

  it('splits reasoning from the answer at every possible cut of the stream', () => {
    for (let i = 0; i <= whole.length; i++) {
      for (let j = i; j <= whole.length; j++) {
        expect(run([whole.slice(0, i), whole.slice(i, j), whole.slice(j)])).toEqual(expected);
      }
    }
  });

  it('streams one character at a time', () => {
    expect(run([...whole])).toEqual(expected);
  });

  it('keeps an unclosed think block as reasoning', () => {
    expect(run(['<think>still thinking'])).toEqual([{ kind: 'reasoning', text: 'still thinking' }]);
  });

  it('lets text that only looks like a tag start through at the end', () => {
    expect(run(['a <thi'])).toEqual([{ kind: 'text', text: 'a <thi' }]);
  });
});
