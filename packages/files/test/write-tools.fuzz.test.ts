import { expect, test } from 'vitest';
import { runWriteToolsFuzz } from '../src/fuzz-write.ts';

test(
  'no fuzzed write path writes outside its root or touches the disk before apply',
  { timeout: 180_000 },
  async () => {
    const r = await runWriteToolsFuzz({ seed: 0x3417e, count: 20_000, applyCount: 2_000 });
    console.log(
      `write-tools fuzz: ${r.count} calls, ${r.queued} queued, ${r.changedBeforeApply} disk changes before apply; ${r.setsApplied} sets applied (${r.setsRefused} refused), ${r.writes} writes, ${r.outsideWrites} outside, ${r.outsideChanges} changes outside the roots, ${r.escapes} escapes (${r.ms} ms; refused ${JSON.stringify(r.refused)})`,
    );
    expect(r.examples).toEqual([]);
    expect(r.changedBeforeApply).toBe(0);
    expect(r.outsideWrites).toBe(0);
    expect(r.outsideChanges).toBe(0);
    expect(r.escapes).toBe(0);
    // A guard or planner that refused everything would pass the lines above.
    expect(r.queued).toBeGreaterThan(r.count / 20);
    expect(r.writes).toBeGreaterThan(100);
  },
);
