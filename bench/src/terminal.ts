// bench/terminal: BooTerm against baselines measured in the same run.
// (a) `cat` of a 100 MB file through the server's WebSocket vs tmux read by node-pty alone:
//     ratio (goal <= 1.2), and booterm's peak RSS.
// (b) echo latency, key in at the WebSocket to echo out at the WebSocket, p50/p99 over 1,000
//     keys, vs a raw pty (goal: p50 <= raw + 1 ms, p99 <= 10 ms).
// (c) reattach: from the socket's open to the screen back (goal <= 200 ms), scrollback in.
// Prints figures and ratios; asserts nothing on time.
//
// `pnpm bench terminal [parts] [--quick]`: parts is any of a, b, c (all by default);
// --quick (or BENCH_QUICK=1) runs a smaller version of each, for a check in a minute.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BenchEnv } from './env.ts';
import { echoLatency } from './terminal/echo.ts';
import { reattach } from './terminal/reattach.ts';
import { killTmux, startTermServer } from './terminal/setup.ts';
import { catThroughput } from './terminal/throughput.ts';

const args = process.argv.slice(3);
const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
const parts = args.find((a) => !a.startsWith('--')) ?? 'abc';
const SIZES = quick
  ? { fileMb: 10, catRounds: 1, keys: 200, reattachRounds: 3 }
  : { fileMb: 100, catRounds: 3, keys: 1000, reattachRounds: 10 };

export async function terminal(env: BenchEnv): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-bench-term-'));
  const baseSocket = `bench-base-${process.pid}`;
  const server = await startTermServer(env);
  try {
    if (parts.includes('a')) {
      const file = { path: path.join(dir, 'big.b64'), mb: SIZES.fileMb };
      // 76-column base64 lines, `mb` MB in all.
      const raw = Math.round((file.mb * 1e6 * 57) / 77);
      execFileSync('sh', ['-c', `head -c ${raw} /dev/urandom | base64 > ${file.path}`]);
      await catThroughput(server, file, SIZES.catRounds, baseSocket);
    }
    if (parts.includes('b')) await echoLatency(server, SIZES.keys);
    if (parts.includes('c')) await reattach(server, SIZES.reattachRounds);
  } finally {
    await server.close();
    await killTmux(baseSocket);
    await rm(dir, { recursive: true, force: true });
  }
}
