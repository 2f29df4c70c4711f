import { describe, expect, it } from 'vitest';
import type { GraphSymbol } from '@boocode/protocol';
import {
  nestOutline,
  symbolAtLine,
  type OutlineNode,
} from '../../../src/features/code/outline-tree.ts';

const sym = (name: string, line: number, endLine: number, column = 1): GraphSymbol => ({
  projectId: '0b7f7b1e-6d2c-4c1a-9d5e-1f2a3b4c5d6e',
  path: 'a.ts',
  name,
  kind: 'function',
  container: null,
  line,
  column,
  endLine,
  endColumn: column + 10,
});

const shape = (nodes: OutlineNode[]): unknown[] =>
  nodes.map((n) => (n.children.length ? [n.symbol.name, shape(n.children)] : n.symbol.name));

describe('nestOutline', () => {
  it('nests symbols by their ranges, in document order', () => {
    const symbols = [
      sym('after', 20, 22),
      sym('Circle', 1, 10),
      sym('area', 2, 4, 3),
      sym('inner', 3, 3, 5),
      sym('perimeter', 5, 9, 3),
    ];
    expect(shape(nestOutline(symbols))).toEqual([
      ['Circle', [['area', ['inner']], 'perimeter']],
      'after',
    ]);
  });

  it('keeps two symbols on one line side by side', () => {
    expect(shape(nestOutline([sym('a', 1, 1, 1), sym('b', 1, 1, 20)]))).toEqual(['a', 'b']);
  });
});

describe('symbolAtLine', () => {
  it('finds the innermost symbol around a line, none outside every one', () => {
    const symbols = [sym('Circle', 1, 10), sym('area', 2, 4, 3)];
    expect(symbolAtLine(symbols, 3)?.name).toBe('area');
    expect(symbolAtLine(symbols, 7)?.name).toBe('Circle');
    expect(symbolAtLine(symbols, 11)).toBeNull();
  });
});
