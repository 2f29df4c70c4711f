// bench/path-guard-fuzz: the path guard's fuzz suites at 5x the test runs' size, with a seed of
// their own each run (printed, to replay a failure). Read tools: escapes must be 0. Write tools:
// writes outside the roots, disk changes before apply and changes outside the roots must be 0.
import { runPathGuardFuzz, runWriteToolsFuzz } from '@boocode/files';

export async function pathGuardFuzz(): Promise<void> {
  const seed = Math.floor(Math.random() * 2 ** 31);
  const report = await runPathGuardFuzz({ seed, count: 500_000 });
  console.log(`path-guard-fuzz: seed ${seed}`);
  console.log(
    `  ${report.count} paths, ${report.accepted} accepted, ${report.escapes} escapes (goal 0), ${report.anomalies} anomalies, ${report.ms} ms`,
  );
  if (report.escapes > 0 || report.anomalies > 0) {
    console.log(`  examples: ${JSON.stringify(report.examples.slice(0, 5))}`);
    process.exitCode = 1;
  }

  const w = await runWriteToolsFuzz({ seed, count: 100_000, applyCount: 10_000 });
  console.log(
    `  write tools: ${w.count} calls, ${w.queued} queued, ${w.changedBeforeApply} disk changes before apply (goal 0); ${w.setsApplied} sets applied, ${w.writes} writes, ${w.outsideWrites} outside a root (goal 0), ${w.outsideChanges} changes outside the roots (goal 0), ${w.escapes} escapes, ${w.ms} ms`,
  );
  if (w.outsideWrites + w.changedBeforeApply + w.outsideChanges + w.escapes > 0) {
    console.log(`  examples: ${JSON.stringify(w.examples.slice(0, 5))}`);
    process.exitCode = 1;
  }
}
