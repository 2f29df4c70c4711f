import { describe, expect, it } from 'vitest';
import { stableOrder } from '../../../src/features/workspace/pane-order.ts';

describe('stableOrder', () => {
  it('keeps the panes where they were and puts a new one last', () => {
    expect(stableOrder(['a', 'b'], ['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
  });

  it('drops a closed pane without moving the others', () => {
    expect(stableOrder(['a', 'b', 'c'], ['c', 'a'])).toEqual(['a', 'c']);
  });

  it('returns the same array when nothing was added or closed', () => {
    const order = ['a', 'b'];
    expect(stableOrder(order, ['b', 'a'])).toBe(order);
  });
});
