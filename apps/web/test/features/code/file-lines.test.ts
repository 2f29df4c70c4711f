import { describe, expect, it } from 'vitest';
import type { FileContent } from '@boocode/protocol';
import { langOfPath, linesOf, nextStart, wordAt } from '../../../src/features/code/file-lines.ts';

const read = (over: Partial<FileContent>): FileContent => ({
  path: 'a.ts',
  content: '',
  startLine: 0,
  endLine: 0,
  totalLines: 0,
  truncated: false,
  note: null,
  ...over,
});

describe('linesOf', () => {
  it('drops the line numbers, keeping tabs that are the code’s own', () => {
    const r = read({ content: '7\tconst a = 1;\n8\t\tindented\n9\t', startLine: 7, endLine: 9 });
    expect(linesOf(r)).toEqual(['const a = 1;', '\tindented', '']);
  });

  it('gives no lines for an empty file', () => {
    expect(linesOf(read({}))).toEqual([]);
  });
});

describe('nextStart', () => {
  it('goes on where a capped read says, and stops at the end', () => {
    const base = { startLine: 1, endLine: 40, truncated: true };
    expect(nextStart(read({ ...base, note: 'Output capped; continue with startLine=41.' }))).toBe(
      41,
    );
    expect(
      nextStart(read({ ...base, note: 'line 40 was cut short; continue with startLine=40.' })),
    ).toBe(40);
    expect(nextStart(read({ startLine: 1, endLine: 40 }))).toBeNull();
  });
});

describe('langOfPath', () => {
  it('names the grammar by extension, none for unknown ones', () => {
    expect(langOfPath('src/app.ts')).toBe('typescript');
    expect(langOfPath('web/View.TSX')).toBe('tsx');
    expect(langOfPath('main.rs')).toBe('rust');
    expect(langOfPath('Makefile')).toBe('');
    expect(langOfPath('.env')).toBe('');
  });
});

describe('wordAt', () => {
  const text = 'return total(xs) + $obj.count2;';
  it('finds the identifier under or just after a column', () => {
    expect(wordAt(text, 8)).toEqual({ word: 'total', column: 8 });
    expect(wordAt(text, 12)).toEqual({ word: 'total', column: 8 });
    expect(wordAt(text, 13)).toEqual({ word: 'total', column: 8 });
    expect(wordAt(text, 20)).toEqual({ word: '$obj', column: 20 });
    expect(wordAt(text, 30)).toEqual({ word: 'count2', column: 25 });
  });

  it('finds nothing on spaces, punctuation or a number', () => {
    expect(wordAt(text, 18)).toBeNull();
    expect(wordAt('x = 42;', 6)).toBeNull();
  });
});
