// bench/path-guard-fuzz: the path guard's fuzz suite at 5x the test run's size,
// with a seed of its own each run (printed, to replay a failure). Escapes must be 0.
import { runPathGuardFuzz } from '@boocode/files';

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
}
