// bench/start: `pnpm start`'s warm start and idle memory against a bare Fastify "hello"
// process measured in the same run.
// (a) warm start: spawn of `node scripts/start.mjs` (what `pnpm start` runs) until the URL
//     line is printed, the database already made (a first, cold run makes it) and the web
//     app and services already built: median of ROUNDS (goal <= 3 s).
// (b) idle RSS of the whole process tree it leaves running, PostgreSQL excluded, once the
//     agents' start-up probes are over (goal <= 250 MB).
// The pnpm wrapper (`pnpm start`, when the bench runs under pnpm) is measured once, apart.
// Loopback only; every process it starts is stopped, its home and cluster removed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@boocode/testkit';
import { median, type BenchEnv } from './env.ts';
import { isPostgres, processTree, type TreeProcess } from './start/proc-tree.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = 5;
/**
 * Idle: at least IDLE_AFTER_MS after the URL (V8's memory reducer gives back what the start
 * took in the first ~15-25 s, in steps with lulls between), then the same processes (the
 * agents' start-up probes over) and their RSS within 2 MB for QUIET_MS.
 */
const IDLE_AFTER_MS = 30_000;
const QUIET_MS = 5000;
const QUIET_MB = 2;
const QUIET_LIMIT_MS = 120_000;

interface Run {
  startMs: number;
  tree: TreeProcess[];
}

/** Spawns `command`, times it to the line matching `ready`, samples its tree once idle, stops it. */
async function runOnce(
  command: string[],
  cwd: string,
  env: Record<string, string>,
  ready: RegExp,
  idle = true,
): Promise<Run> {
  const t0 = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: nothing of it outlives the bench
  });
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  try {
    let out = '';
    const startMs = await new Promise<number>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d.toString();
        if (ready.test(out)) resolve(performance.now() - t0);
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`exited (${code}): ${out.slice(-2000)}`)));
    });
    const tree = idle ? await idleTree(child.pid!) : processTree(child.pid!);
    return { startMs, tree };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    // Children that did not stop with it (there should be none).
    killGroup();
    process.off('exit', killGroup);
  }
}

const ours = (t: TreeProcess[]) => t.filter((p) => !isPostgres(p));
const rss = (t: TreeProcess[]) => ours(t).reduce((s, p) => s + p.rssMb, 0);
/** Shared pages (node's own code) counted once: what the tree really holds. */
const pss = (t: TreeProcess[]) => ours(t).reduce((s, p) => s + p.pssMb, 0);

/** The tree once idle (see QUIET_MS), or as it is after QUIET_LIMIT_MS. */
async function idleTree(pid: number): Promise<TreeProcess[]> {
  const pids = (t: TreeProcess[]) => t.map((p) => p.pid).join(',');
  const t0 = performance.now();
  const deadline = t0 + QUIET_LIMIT_MS;
  let window: { at: number; tree: TreeProcess[] }[] = [];
  for (;;) {
    const now = { at: performance.now(), tree: processTree(pid) };
    if (window.length && pids(window[0]!.tree) !== pids(now.tree)) window = [];
    window.push(now);
    const sizes = window.map((w) => rss(w.tree));
    const steady = Math.max(...sizes) - Math.min(...sizes) <= QUIET_MB;
    if (!steady) window = [now];
    const quiet = now.at - window[0]!.at >= QUIET_MS && now.at - t0 >= IDLE_AFTER_MS;
    if (quiet || now.at > deadline) return now.tree;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const mb = (x: number) => `${x.toFixed(0)} MB`;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const HELLO = `import Fastify from 'fastify';
const app = Fastify();
app.get('/', async () => 'hello');
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('hello listening');`;

export async function start(_env: BenchEnv): Promise<void> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-bench-start-'));
  const tmuxSocket = `bench-start-${process.pid}`;
  const env = {
    BOOCODE_HOME: home,
    PORT: String(await freePort()),
    BOOCODE_PG_PORT: String(await freePort()),
    BOOTERM_TMUX_SOCKET: tmuxSocket,
    BOOTERM_SHELL: '/bin/bash --noprofile --norc',
  };
  const url = /boocode is running: open http/;
  const startCmd = [process.execPath, path.join(root, 'scripts/start.mjs')];
  try {
    const cold = await runOnce(startCmd, root, env, url, false);
    const hello: Run[] = [];
    const warm: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Fastify from the server's dependencies; its process as the baseline.
      const helloCmd = [process.execPath, '--input-type=module', '-e', HELLO];
      const last = i === ROUNDS - 1;
      hello.push(
        await runOnce(helloCmd, path.join(root, 'apps/server'), {}, /hello listening/, last),
      );
      warm.push(await runOnce(startCmd, root, env, url, last));
    }
    const pnpmPath = process.env.npm_execpath;
    const viaPnpm =
      pnpmPath && /pnpm/.test(pnpmPath)
        ? await runOnce([process.execPath, pnpmPath, 'start'], root, env, url)
        : null;

    const startMs = median(warm.map((r) => r.startMs));
    const helloMs = median(hello.map((r) => r.startMs));
    const idle = warm.at(-1)!.tree;
    const idleMb = rss(idle);
    const helloMb = rss(hello.at(-1)!.tree);
    console.log(`start: \`node scripts/start.mjs\`, median of ${ROUNDS} warm starts`);
    console.log(`  first start (makes the database): ${ms(cold.startMs)}`);
    console.log(`  warm start to the printed URL:    ${ms(startMs)} (goal <= 3000 ms)`);
    console.log(`  bare Fastify hello to listening:  ${ms(helloMs)}`);
    console.log(`  ratio: ${(startMs / helloMs).toFixed(1)}`);
    console.log(`  idle RSS, PostgreSQL excluded:    ${mb(idleMb)} (goal <= 250 MB)`);
    for (const p of idle.filter((x) => !isPostgres(x)))
      console.log(`    ${mb(p.rssMb).padStart(7)}  ${p.command.slice(0, 90)}`);
    console.log(`  the same as PSS (shared pages counted once): ${mb(pss(idle))}`);
    console.log(`  bare Fastify hello RSS:           ${mb(helloMb)}`);
    console.log(`  ratio: ${(idleMb / helloMb).toFixed(2)}`);
    if (viaPnpm) {
      const t = viaPnpm.tree;
      console.log(
        `  through \`pnpm start\` (one run): ${ms(viaPnpm.startMs)}, ${mb(rss(t))} RSS, ${mb(pss(t))} PSS`,
      );
      console.log(`    (pnpm's own share: ${mb(rss(t) - idleMb)} RSS; npx adds its own)`);
    }
  } finally {
    spawnSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
    // As root the cluster lives under /var/lib/boocode, `pg` linking to it.
    const cluster = await readlink(path.join(home, 'pg')).catch(() => null);
    if (cluster) await rm(cluster, { recursive: true, force: true });
    await rm(home, { recursive: true, force: true });
  }
}
