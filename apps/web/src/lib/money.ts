/**
 * Display formatting for money and token counts. Money arrives as integer micro-dollars
 * (1e-6 USD); all rounding is done on integers, and only the final digits become text.
 */

const MICROS_PER_DOLLAR = 1_000_000;

/** Integer division, rounding half up (both arguments non-negative integers). */
function divRound(n: number, d: number): number {
  return Math.floor((n + Math.floor(d / 2)) / d);
}

function withCommas(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * "$0.0123" under a dollar (4 decimals), "$12.34" from a dollar up, "$0" for nothing,
 * "<$0.0001" for a non-zero amount too small to show.
 */
export function formatCost(micros: number): string {
  if (!Number.isFinite(micros)) return '';
  const sign = micros < 0 ? '-' : '';
  const abs = Math.round(Math.abs(micros));
  if (abs === 0) return '$0';
  if (abs < 50) return `${sign}<$0.0001`;
  // In units of $0.0001; anything that rounds up to a whole dollar is shown with 2 decimals.
  const tenThousandths = divRound(abs, 100);
  if (tenThousandths < 10_000) {
    return `${sign}$0.${String(tenThousandths).padStart(4, '0')}`;
  }
  const cents = divRound(abs, MICROS_PER_DOLLAR / 100);
  const dollars = Math.floor(cents / 100);
  return `${sign}$${withCommas(dollars)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Tenths of `n / unit`, as text: "12.3", or "123" from 100 up, or "12" for a whole number. */
function compact(n: number, unit: number): { text: string; whole: number } {
  const tenths = divRound(n * 10, unit);
  if (tenths >= 1000) {
    const whole = divRound(n, unit);
    return { text: String(whole), whole };
  }
  const whole = Math.floor(tenths / 10);
  const frac = tenths % 10;
  return { text: frac === 0 ? String(whole) : `${whole}.${frac}`, whole };
}

/** "999", "1,234", "12.3k", "123k", "1.2M". */
export function formatTokens(n: number): string {
  if (!Number.isFinite(n)) return '';
  const abs = Math.round(Math.abs(n));
  const sign = n < 0 ? '-' : '';
  if (abs < 10_000) return sign + withCommas(abs);
  const k = compact(abs, 1_000);
  if (k.whole < 1_000) return `${sign}${k.text}k`;
  const m = compact(abs, 1_000_000);
  if (m.whole < 1_000) return `${sign}${m.text}M`;
  return `${sign}${withCommas(divRound(abs, 1_000_000))}M`;
}

/** "123 in · 456 out", with " · $0.0012" when the cost is known. */
export function formatUsage(
  promptTokens: number,
  completionTokens: number,
  costMicros: number | null,
): string {
  const tokens = `${formatTokens(promptTokens)} in · ${formatTokens(completionTokens)} out`;
  return costMicros === null ? tokens : `${tokens} · ${formatCost(costMicros)}`;
}
