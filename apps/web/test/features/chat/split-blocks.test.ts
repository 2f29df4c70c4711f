import { describe, expect, it } from 'vitest';
import { splitBlocks } from '../../../src/features/chat/split-blocks.ts';

describe('splitBlocks', () => {
  it('splits at blank lines followed by an unindented line', () => {
    expect(splitBlocks('# Title\n\nA paragraph.\n\nAnother.')).toEqual([
      '# Title',
      'A paragraph.',
      'Another.',
    ]);
  });

  it('keeps a list item with its indented continuation', () => {
    const text = '- item\n\n  more of the item\n\nAfter.';
    expect(splitBlocks(text)).toEqual(['- item\n\n  more of the item', 'After.']);
  });

  it('never splits inside a code fence', () => {
    const text = '```js\nconst a = 1;\n\nconst b = 2;\n```\n\nDone.';
    expect(splitBlocks(text)).toEqual(['```js\nconst a = 1;\n\nconst b = 2;\n```', 'Done.']);
  });

  it('closes a fence only with the same character, at least as long', () => {
    const text = '````\n```\n\nstill code\n````\n\nout';
    expect(splitBlocks(text)).toEqual(['````\n```\n\nstill code\n````', 'out']);
  });

  it('keeps a fence still streaming (not closed yet) in the last block', () => {
    expect(splitBlocks('Intro.\n\n```py\nx = 1\n\ny')).toEqual(['Intro.', '```py\nx = 1\n\ny']);
  });
});
