import { describe, expect, it } from 'vitest';
import { formatCost, formatTokens, formatUsage } from '../../src/lib/money.ts';

describe('formatCost', () => {
  it('shows nothing spent as $0', () => {
    expect(formatCost(0)).toBe('$0');
  });

  it('shows 4 decimals under a dollar and 2 from a dollar up', () => {
    expect(formatCost(12_300)).toBe('$0.0123');
    expect(formatCost(12_345_678)).toBe('$12.35');
  });

  it('says a non-zero amount too small to show is under $0.0001', () => {
    expect(formatCost(49)).toBe('<$0.0001');
    expect(formatCost(50)).toBe('$0.0001');
  });

  it('shows an amount that rounds up to a dollar with 2 decimals', () => {
    expect(formatCost(999_960)).toBe('$1.00');
  });

  it('puts commas in thousands of dollars and keeps the sign', () => {
    expect(formatCost(1_234_560_000)).toBe('$1,234.56');
    expect(formatCost(-12_300)).toBe('-$0.0123');
  });
});

describe('formatTokens', () => {
  it('writes counts under 10,000 in full', () => {
    expect(formatTokens(999)).toBe('999');
    expect(formatTokens(1234)).toBe('1,234');
  });

  it('shortens to k and M with one decimal under 100', () => {
    expect(formatTokens(12_345)).toBe('12.3k');
    expect(formatTokens(123_456)).toBe('123k');
    expect(formatTokens(1_234_567)).toBe('1.2M');
    expect(formatTokens(20_000)).toBe('20k');
  });

  it('moves to M when k would round to 1000', () => {
    expect(formatTokens(999_999)).toBe('1M');
  });
});

describe('formatUsage', () => {
  it('adds the cost only when it is known', () => {
    expect(formatUsage(123, 456, null)).toBe('123 in · 456 out');
    expect(formatUsage(123, 456, 1200)).toBe('123 in · 456 out · $0.0012');
  });
});
