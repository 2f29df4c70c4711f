import { describe, expect, it } from 'vitest';
import type { DiffHunk } from '@boocode/protocol';
import { hunkSides, splitRows, unifiedRows } from '../../../src/features/coder/diff-rows.ts';

const hunk = (lines: string[], oldStart = 10, newStart = 20): DiffHunk => ({
  oldStart,
  oldLines: lines.filter((l) => l[0] !== '+').length,
  newStart,
  newLines: lines.filter((l) => l[0] !== '-').length,
  lines,
});

describe('hunkSides', () => {
  it('gives each side its context plus its own lines', () => {
    expect(hunkSides(hunk([' a', '-b', '+B', ' c']))).toEqual({
      oldText: 'a\nb\nc',
      newText: 'a\nB\nc',
    });
  });
});

describe('unifiedRows', () => {
  it('starts with the hunk header', () => {
    expect(unifiedRows(hunk([' a']))[0]).toEqual({ type: 'hunk', header: '@@ -10,1 +20,1 @@' });
  });

  it('numbers each line in the files it belongs to', () => {
    const rows = unifiedRows(hunk([' a', '-b', '+B', ' c'])).slice(1);
    expect(rows).toEqual([
      { type: 'context', old: { no: 10, at: 0 }, new: { no: 20, at: 0 }, text: 'a' },
      { type: 'removed', old: { no: 11, at: 1 }, new: null, text: 'b' },
      { type: 'added', old: null, new: { no: 21, at: 1 }, text: 'B' },
      { type: 'context', old: { no: 12, at: 2 }, new: { no: 22, at: 2 }, text: 'c' },
    ]);
  });

  it('leaves out the “No newline at end of file” marker', () => {
    const rows = unifiedRows(hunk(['-a', '\\ No newline at end of file', '+a']));
    expect(rows.map((r) => r.type)).toEqual(['hunk', 'removed', 'added']);
  });
});

describe('splitRows', () => {
  it('faces each run of removed lines with the added lines after it', () => {
    const rows = splitRows(hunk(['-a', '-b', '+A'])).slice(1);
    expect(rows).toEqual([
      {
        type: 'pair',
        left: { type: 'removed', side: { no: 10, at: 0 }, text: 'a' },
        right: { type: 'added', side: { no: 20, at: 0 }, text: 'A' },
      },
      { type: 'pair', left: { type: 'removed', side: { no: 11, at: 1 }, text: 'b' }, right: null },
    ]);
  });

  it('puts a context line on both sides and closes the run before it', () => {
    const rows = splitRows(hunk(['+x', ' a'])).slice(1);
    expect(rows).toEqual([
      { type: 'pair', left: null, right: { type: 'added', side: { no: 20, at: 0 }, text: 'x' } },
      {
        type: 'pair',
        left: { type: 'context', side: { no: 10, at: 0 }, text: 'a' },
        right: { type: 'context', side: { no: 21, at: 1 }, text: 'a' },
      },
    ]);
  });

  it('starts a new run when a removal follows additions', () => {
    const rows = splitRows(hunk(['+x', '-a'])).slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ left: null, right: { text: 'x' } });
    expect(rows[1]).toMatchObject({ left: { text: 'a' }, right: null });
  });
});
