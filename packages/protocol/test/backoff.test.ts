import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay, DEFAULT_BACKOFF } from '../src/index.ts';

describe('backoff', () => {
  it('waits 1 s, doubling to 30 s by default', () => {
    const b = new Backoff();
    const waits = Array.from({ length: 8 }, () => b.next());
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts again from the first wait after a reset', () => {
    const b = new Backoff({ initialMs: 250, maxMs: 5000 });
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(250);
  });

  it('stays at the cap however many failures there were', () => {
    expect(backoffDelay(DEFAULT_BACKOFF, 5000)).toBe(30_000);
  });

  it('counts no failure yet as the first', () => {
    expect(backoffDelay({ initialMs: 20, maxMs: 80 }, 0)).toBe(20);
  });
});
