import { readFileSync } from 'node:fs';

/** The `p`th percentile of `xs`. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** p50 / p99 / max, in ms. */
export function fmt(xs: number[]): string {
  return `${pct(xs, 50).toFixed(2)} / ${pct(xs, 99).toFixed(2)} / ${Math.max(...xs).toFixed(2)}`;
}

/** Resident memory of process `pid` now and at its peak, in MB (Linux: its /proc status). */
export function memory(pid: number): { rssMb: string; peakMb: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rssMb: (kb('VmRSS') / 1024).toFixed(1), peakMb: (kb('VmHWM') / 1024).toFixed(1) };
}
