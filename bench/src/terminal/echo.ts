// (b) echo latency, key in at the WebSocket to echo out at the WebSocket, vs a raw pty.
import type { TermClient } from '@boocode/testkit';
import { fmt, pct } from './figures.ts';
import { PtyProcess, quiet } from './pty-process.ts';
import type { TermServer } from './setup.ts';

/** Letters that no escape sequence tmux sends ends in (m, l, h, r, q, c do). */
const KEY_LETTERS = 'abdefgijknopstuvwxyz';
const WARM_UP = 50;

export async function echoLatency(s: TermServer, keys: number): Promise<void> {
  const t = await s.create();
  const c = await s.open(t.id);
  c.type('stty raw -echo; exec cat');
  await quiet(c, 300);
  const viaServer = await echoTimes(keys, (k) => socketEcho(c, k));
  await c.close();
  const direct = await s.open(t.id, 'booterm');
  await quiet(direct, 300);
  const viaBooterm = await echoTimes(keys, (k) => socketEcho(direct, k));
  await direct.close();
  const raw = await rawPtyEcho(keys);
  console.log(`terminal (b): echo latency over ${keys} keys, p50 / p99 / max (ms)`);
  console.log(`  raw pty (stty raw; cat):         ${fmt(raw)}`);
  console.log(`  WebSocket to booterm directly:   ${fmt(viaBooterm)}`);
  console.log(`  WebSocket through the server:    ${fmt(viaServer)}`);
  const over = pct(viaServer, 50) - pct(raw, 50);
  console.log(
    `  p50 over raw: +${over.toFixed(2)} ms (goal <= +1 ms); p99 ${pct(viaServer, 99).toFixed(2)} ms (goal <= 10)`,
  );
}

/** Sends `key` as a binary frame; resolves with its round trip in ms. */
async function socketEcho(c: TermClient, key: string): Promise<number> {
  const back = c.waitForOutput(key, 10_000);
  const t0 = performance.now();
  c.sendBytes(key);
  await back;
  return performance.now() - t0;
}

/** `keys` round trips, one key at a time, each key a letter that cycles; after a warm-up. */
async function echoTimes(keys: number, roundTrip: (key: string) => Promise<number>) {
  const times: number[] = [];
  for (let i = 0; i < keys + WARM_UP; i++) {
    const ms = await roundTrip(KEY_LETTERS[i % KEY_LETTERS.length]!);
    if (i >= WARM_UP) times.push(ms);
  }
  return times;
}

/** The baseline: a pty running `stty raw -echo; exec cat`, no tmux, no socket. */
async function rawPtyEcho(keys: number): Promise<number[]> {
  const p = new PtyProcess('bash', [
    '--noprofile',
    '--norc',
    '-c',
    'stty raw -echo; echo ready; exec cat',
  ]);
  await p.until(() => p.text.includes('ready'));
  const times = await echoTimes(keys, async (k) => {
    const back = p.waitForOutput(k);
    const t0 = performance.now();
    p.write(k);
    await back;
    return performance.now() - t0;
  });
  p.kill();
  return times;
}
