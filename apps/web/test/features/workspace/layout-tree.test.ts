import { describe, expect, it } from 'vitest';
import { panesOf, type LayoutNode, type PaneNode, type Workspace } from '@boocode/protocol';
import {
  closePane,
  findPane,
  normalize,
  openPane,
  removePane,
  resizeSplit,
  splitPane,
  updatePane,
  urlPane,
} from '../../../src/features/workspace/layout-tree.ts';

const pane = (id: string): PaneNode => ({
  type: 'pane',
  id,
  pane: { kind: 'chat', chatId: null, followsUrl: false },
});
const split = (
  id: string,
  orientation: 'horizontal' | 'vertical',
  children: LayoutNode[],
  sizes: number[],
): LayoutNode => ({ type: 'split', id, orientation, children, sizes });
const ids = (node: LayoutNode | null) => panesOf(node).map((p) => p.id);
const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

describe('normalize', () => {
  it('scales sizes to add up to exactly 100', () => {
    const sizes = normalize([1, 1, 1]);
    expect(sum(sizes)).toBe(100);
    expect(sizes).toEqual([33.33, 33.33, 33.34]);
  });

  it('shares the space evenly when every size is zero', () => {
    expect(normalize([0, 0])).toEqual([50, 50]);
  });
});

describe('splitPane', () => {
  it('turns a lone pane into a split of two halves, the new pane after it', () => {
    const next = splitPane(pane('a'), 'a', 'vertical', pane('b'));
    expect(next).toMatchObject({ type: 'split', orientation: 'vertical', sizes: [50, 50] });
    expect(ids(next)).toEqual(['a', 'b']);
  });

  it('adds a sibling in a split of the same orientation, taking half of the pane’s share', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [60, 40]);
    const next = splitPane(tree, 'a', 'horizontal', pane('c'));
    expect(ids(next)).toEqual(['a', 'c', 'b']);
    expect(next).toMatchObject({ id: 's', sizes: [30, 30, 40] });
  });

  it('nests a new split when the orientation differs', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]);
    const next = splitPane(tree, 'b', 'vertical', pane('c'));
    expect(next.type === 'split' && next.children[1]).toMatchObject({
      type: 'split',
      orientation: 'vertical',
    });
    expect(ids(next)).toEqual(['a', 'b', 'c']);
  });

  it('returns the same tree when the pane is not in it', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]);
    expect(splitPane(tree, 'zz', 'horizontal', pane('c'))).toBe(tree);
  });
});

describe('removePane', () => {
  it('gives the closed pane’s share to the neighbour before it', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b'), pane('c')], [20, 30, 50]);
    expect(removePane(tree, 'c')).toMatchObject({ sizes: [20, 80] });
  });

  it('gives the first pane’s share to the one after it', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b'), pane('c')], [20, 30, 50]);
    expect(removePane(tree, 'a')).toMatchObject({ sizes: [50, 50] });
    expect(ids(removePane(tree, 'a'))).toEqual(['b', 'c']);
  });

  it('replaces a split left with one child by that child', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]);
    expect(removePane(tree, 'a')).toEqual(pane('b'));
  });

  it('is null when the last pane goes', () => {
    expect(removePane(pane('a'), 'a')).toBeNull();
  });

  it('merges a nested split that collapsed into one of the parent’s orientation', () => {
    const inner = split(
      'v',
      'vertical',
      [split('h2', 'horizontal', [pane('b'), pane('c')], [50, 50]), pane('d')],
      [50, 50],
    );
    const tree = split('h', 'horizontal', [pane('a'), inner], [50, 50]);
    const next = removePane(tree, 'd');
    expect(next).toMatchObject({ id: 'h', orientation: 'horizontal', sizes: [50, 25, 25] });
    expect(ids(next)).toEqual(['a', 'b', 'c']);
  });
});

describe('resizeSplit', () => {
  it('sets the sizes of the split named, normalized', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]);
    expect(resizeSplit(tree, 's', [1, 3])).toMatchObject({ sizes: [25, 75] });
  });

  it('keeps the same tree when the sizes barely change or do not fit the children', () => {
    const tree = split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]);
    expect(resizeSplit(tree, 's', [50.001, 49.999])).toBe(tree);
    expect(resizeSplit(tree, 's', [20, 30, 50])).toBe(tree);
  });
});

describe('updatePane', () => {
  it('changes the state of one pane and keeps the untouched branches', () => {
    const left = split('l', 'vertical', [pane('a'), pane('b')], [50, 50]);
    const tree = split('s', 'horizontal', [left, pane('c')], [50, 50]);
    const next = updatePane(tree, 'c', () => ({ kind: 'chat', chatId: 'x', followsUrl: true }));
    expect(findPane(next, 'c')?.pane).toEqual({ kind: 'chat', chatId: 'x', followsUrl: true });
    expect(next.type === 'split' && next.children[0]).toBe(left);
  });
});

describe('urlPane', () => {
  it('finds the chat pane that follows the address bar', () => {
    const follows: PaneNode = {
      ...pane('b'),
      pane: { kind: 'chat', chatId: null, followsUrl: true },
    };
    const tree = split('s', 'horizontal', [pane('a'), follows], [50, 50]);
    expect(urlPane(tree)?.id).toBe('b');
    expect(urlPane(pane('a'))).toBeNull();
  });
});

describe('closePane', () => {
  it('ends maximising when the maximised pane is closed', () => {
    const w: Workspace = {
      layout: split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]),
      maximized: 'a',
    };
    expect(closePane(w, 'a')).toEqual({ layout: pane('b'), maximized: null });
  });

  it('keeps another pane maximised', () => {
    const w: Workspace = {
      layout: split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]),
      maximized: 'b',
    };
    expect(closePane(w, 'a').maximized).toBe('b');
  });
});

describe('openPane', () => {
  it('opens the first pane alone', () => {
    expect(openPane({ layout: null, maximized: null }, pane('a'), null)).toEqual({
      layout: pane('a'),
      maximized: null,
    });
  });

  it('opens beside the pane named, and ends maximising', () => {
    const w: Workspace = {
      layout: split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]),
      maximized: 'b',
    };
    const next = openPane(w, pane('c'), 'a');
    expect(ids(next.layout)).toEqual(['a', 'c', 'b']);
    expect(next.maximized).toBeNull();
  });

  it('opens after the last pane when the one named is gone', () => {
    const w: Workspace = {
      layout: split('s', 'horizontal', [pane('a'), pane('b')], [50, 50]),
      maximized: null,
    };
    expect(ids(openPane(w, pane('c'), 'gone').layout)).toEqual(['a', 'b', 'c']);
  });
});
