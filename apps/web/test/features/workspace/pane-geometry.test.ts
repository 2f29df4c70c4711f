import { describe, expect, it } from 'vitest';
import {
  neighbour,
  roomiest,
  type PaneBox,
} from '../../../src/features/workspace/pane-geometry.ts';

const box = (id: string, left: number, top: number, width: number, height: number): PaneBox => ({
  id,
  rect: { left, top, width, height, right: left + width, bottom: top + height },
});

// a | b
//   | c
const grid = [box('a', 0, 0, 500, 800), box('b', 501, 0, 500, 400), box('c', 501, 401, 500, 399)];

describe('neighbour', () => {
  it('moves to the pane on that side', () => {
    expect(neighbour(grid, 'a', 'ArrowRight')).toBe('b');
    expect(neighbour(grid, 'c', 'ArrowLeft')).toBe('a');
    expect(neighbour(grid, 'b', 'ArrowDown')).toBe('c');
    expect(neighbour(grid, 'c', 'ArrowUp')).toBe('b');
  });

  it('finds nothing past the edge', () => {
    expect(neighbour(grid, 'a', 'ArrowLeft')).toBeNull();
    expect(neighbour(grid, 'b', 'ArrowUp')).toBeNull();
  });

  it('favours a pane that lines up over a nearer one that does not', () => {
    // d sits right of a but below it; e lines up with a, further away.
    const panes = [
      box('a', 0, 0, 100, 100),
      box('d', 110, 200, 100, 100),
      box('e', 300, 0, 100, 100),
    ];
    expect(neighbour(panes, 'a', 'ArrowRight')).toBe('e');
  });

  it('starts from the first pane when none is active', () => {
    expect(neighbour(grid, null, 'ArrowRight')).toBe('a');
  });
});

describe('roomiest', () => {
  it('opens beside the active pane when it has room for two', () => {
    const panes = [box('a', 0, 0, 700, 800), box('b', 701, 0, 900, 800)];
    expect(roomiest(panes, 'a')).toEqual({ id: 'a', orientation: 'horizontal' });
  });

  it('passes a narrow active pane over for the biggest one', () => {
    const panes = [box('a', 0, 0, 400, 800), box('b', 401, 0, 900, 800)];
    expect(roomiest(panes, 'a')).toEqual({ id: 'b', orientation: 'horizontal' });
  });

  it('stacks along the longer side of a tall biggest pane', () => {
    const panes = [box('a', 0, 0, 300, 400), box('b', 301, 0, 500, 900)];
    expect(roomiest(panes, 'a')).toEqual({ id: 'b', orientation: 'vertical' });
  });

  it('keeps the active id when nothing is on screen', () => {
    expect(roomiest([], 'x')).toEqual({ id: 'x', orientation: 'horizontal' });
  });
});
