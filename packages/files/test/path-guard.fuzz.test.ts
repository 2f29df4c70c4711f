import { expect, test } from 'vitest';
import { runPathGuardFuzz } from '../src/fuzz.ts';

test('no fuzzed path escapes its root', { timeout: 120_000 }, async () => {
  const report = await runPathGuardFuzz({ seed: 0x5eed, count: 100_000 });
  console.log(
    `path-guard fuzz: ${report.count} paths, ${report.accepted} accepted, ${report.escapes} escapes (${report.ms} ms; refused ${JSON.stringify(report.refused)})`,
  );
  expect(report.examples).toEqual([]);
  expect(report.escapes).toBe(0);
  expect(report.anomalies).toBe(0);
  // A guard that refused everything would pass the lines above; make sure it is really exercised.
  expect(report.accepted).toBeGreaterThan(report.count / 10);
});
