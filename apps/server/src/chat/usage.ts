import type { ChatUsage, ModelCall, Part, Usage } from '@boocode/protocol';

/**
 * What one reply used: every model call with its cost, and their sum. The sum
 * stays null until an endpoint reports usage, so "not counted" differs from 0.
 */
export class ReplyUsage {
  readonly calls: ModelCall[] = [];
  private readonly sum = { promptTokens: 0, completionTokens: 0 };
  private counted = false;

  /** @param price a call's cost in micro-dollars, null when its model has no price */
  constructor(private readonly price: (usage: Usage) => number | null) {}

  /** The tokens of every call so far, or null when none reported any. */
  get total(): Usage | null {
    return this.counted ? { ...this.sum } : null;
  }

  /**
   * Counts one call. Returns the prompt tokens it has beyond the previous call's
   * whole exchange (what that round's tool results added), or null when it is
   * the first call or reported nothing.
   */
  record(usage: Usage | null): number | null {
    if (!usage) return null;
    this.sum.promptTokens += usage.promptTokens;
    this.sum.completionTokens += usage.completionTokens;
    this.counted = true;
    const { promptTokens, completionTokens } = usage;
    const prev = this.calls.at(-1);
    this.calls.push({ promptTokens, completionTokens, costMicros: this.price(usage) });
    return prev ? promptTokens - prev.promptTokens - prev.completionTokens : null;
  }
}

/**
 * Shares the prompt tokens the last round's tool results added among them, by
 * the length of their text (the endpoint reports one number for the whole
 * prompt). The results are the tool_result parts that end just before `end`
 * (the first part of the call that reported `added`); each gets a new part
 * with its `tokens`. Returns the indices it replaced.
 */
export function creditToolTokens(parts: Part[], added: number, end = parts.length): number[] {
  const results: number[] = [];
  for (let i = end - 1; i >= 0 && parts[i]!.type === 'tool_result'; i--) results.unshift(i);
  if (results.length === 0) return [];
  const sizes = results.map((i) => {
    const p = parts[i]!;
    return p.type === 'tool_result' ? p.text.length + 1 : 1;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  let left = Math.max(0, added);
  results.forEach((i, k) => {
    const p = parts[i]!;
    if (p.type !== 'tool_result') return;
    const tokens =
      k === results.length - 1 ? left : Math.round((Math.max(0, added) * sizes[k]!) / total);
    left -= tokens;
    parts[i] = { ...p, tokens };
  });
  return results;
}

/** What a reply adds to its chat's totals (a call without a price adds no money). */
export function chatSums(calls: ModelCall[]): ChatUsage {
  const use = { promptTokens: 0, completionTokens: 0, costMicros: 0 };
  for (const c of calls) {
    use.promptTokens += c.promptTokens;
    use.completionTokens += c.completionTokens;
    use.costMicros += c.costMicros ?? 0;
  }
  return use;
}

/** The sum of the calls' costs; null when one of them has no price. */
export function totalCost(calls: ModelCall[]): number | null {
  let sum = 0;
  for (const c of calls) {
    if (c.costMicros === null) return null;
    sum += c.costMicros;
  }
  return calls.length ? sum : null;
}
