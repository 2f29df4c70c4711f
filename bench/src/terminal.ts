// bench/terminal: BooTerm against baselines measured in the same run.
// (a) `cat` of a 100 MB file in a boocode terminal, a WebSocket client attached (acking as
//     xterm.js does), through the server, vs the same in a tmux session attached by node-pty
//     alone: ratio (goal <= 1.2), and booterm's peak RSS.
// (b) echo latency, key in at the WebSocket to echo out at the WebSocket, p50/p99 over 1,000
//     keys, vs a raw pty (goal: p50 <= raw + 1 ms, p99 <= 10 ms).
// (c) reattach: from the socket's open to the screen back (goal <= 200 ms), scrollback in.
// Prints figures and ratios; asserts nothing on time.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { FLOW_ACK_BYTES, type Terminal } from '@boocode/protocol';
import { freePort } from '@boocode/testkit';
import { median, startServer, type BenchEnv } from './env.ts';

// node-pty as booterm has it (the bench package does not depend on it itself).
interface Pty {
  onData(cb: (data: Buffer) => void): void;
  write(data: string): void;
  kill(): void;
}
const root = fileURLToPath(new URL('../../', import.meta.url));
const pty = createRequire(path.join(root, 'apps/booterm/package.json'))('node-pty') as {
  spawn(file: string, args: string[], opts: Record<string, unknown>): Pty;
};

const SHELL = '/bin/bash --noprofile --norc';
const FILE_MB = 100;
const CAT_ROUNDS = 3;
const KEYS = 1000;
const REATTACH_ROUNDS = 10;
/** `pnpm bench terminal b` runs part (b) only; all parts by default. */
const parts = process.argv[3] ?? 'abc';

export async function terminal(env: BenchEnv): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-bench-term-'));
  const big = path.join(dir, 'big.b64');
  // 76-column base64 lines, FILE_MB MB in all.
  execFileSync('sh', [
    '-c',
    `head -c ${Math.round((FILE_MB * 1e6 * 57) / 77)} /dev/urandom | base64 > ${big}`,
  ]);
  const db = await env.newDatabase();
  const socket = `bench-${process.pid}`;
  const baseSocket = `bench-base-${process.pid}`;
  const bootermPort = await freePort();
  const server = await startServer({
    DATABASE_URL: db.url,
    BOOTERM_PORT: String(bootermPort),
    BOOTERM_TMUX_SOCKET: socket,
    BOOTERM_SHELL: SHELL,
  });
  const base = server.url.origin;
  const headers = { authorization: `Bearer ${server.token}`, origin: base };
  const booterm = bootermPid(server.child.pid!);
  const conf = path.join(findHome(booterm), 'tmux.conf');

  const create = async (): Promise<Terminal> => {
    const res = await fetch(`${base}/api/term/terminals`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ cols: 80, rows: 24 }),
    });
    if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
    return (await res.json()) as Terminal;
  };

  async function throughput(): Promise<void> {
    const viaWs: number[] = [];
    const viaPty: number[] = [];
    let marker = 0;
    for (let i = 0; i < CAT_ROUNDS; i++) {
      const t = await create();
      const c = await TermSocket.open(
        `${base.replace('http', 'ws')}/api/term/terminals/${t.id}/ws?cols=80&rows=24`,
        headers,
      );
      await c.until(() => c.text.includes('$') || c.text.includes('#'));
      const m = `END-${++marker}`;
      const t0 = performance.now();
      c.type(`cat ${big}; echo ${m.slice(0, 4)}$((${marker}))`);
      await c.waitForText(m);
      viaWs.push(performance.now() - t0);
      if (process.env.BENCH_TRACE) console.log(`  (a) ${c.bytes} bytes in ${c.frames} frames`);
      c.close();

      viaPty.push(await catInPtyTmux(baseSocket, conf, big, `END-${++marker}`, marker));
    }
    const rss = memory(booterm);
    const ws = median(viaWs);
    const alone = median(viaPty);
    console.log(`terminal (a): cat of a ${FILE_MB} MB file, median of ${CAT_ROUNDS}`);
    console.log(`  tmux attached by node-pty alone:       ${alone.toFixed(0)} ms`);
    console.log(`  boocode terminal, WebSocket via server: ${ws.toFixed(0)} ms`);
    console.log(`  ratio: ${(ws / alone).toFixed(3)} (goal <= 1.2)`);
    console.log(`  booterm RSS now ${rss.rssMb} MB, peak ${rss.peakMb} MB`);
  }

  async function echo(): Promise<void> {
    const t = await create();
    const url = `${base.replace('http', 'ws')}/api/term/terminals/${t.id}/ws?cols=80&rows=24`;
    const c = await TermSocket.open(url, headers);
    c.type('stty raw -echo; exec cat');
    await c.idle(300);
    const viaServer = await echoTimes(
      (k) => c.send(k),
      (k) => c.waitFor(k),
    );
    c.close();
    const direct = await TermSocket.open(
      `ws://127.0.0.1:${bootermPort}/api/term/terminals/${t.id}/ws?cols=80&rows=24`,
      { authorization: headers.authorization, origin: `http://127.0.0.1:${bootermPort}` },
    );
    await direct.idle(300);
    const viaBooterm = await echoTimes(
      (k) => direct.send(k),
      (k) => direct.waitFor(k),
    );
    direct.close();
    const raw = await rawPtyEcho();
    console.log(`terminal (b): echo latency over ${KEYS} keys, p50 / p99 / max (ms)`);
    console.log(`  raw pty (stty raw; cat):         ${fmt(raw)}`);
    console.log(`  WebSocket to booterm directly:   ${fmt(viaBooterm)}`);
    console.log(`  WebSocket through the server:    ${fmt(viaServer)}`);
    console.log(
      `  p50 over raw: +${(pct(viaServer, 50) - pct(raw, 50)).toFixed(2)} ms (goal <= +1 ms); p99 ${pct(viaServer, 99).toFixed(2)} ms (goal <= 10)`,
    );
  }

  async function reattach(): Promise<void> {
    const r = await create();
    const rUrl = `${base.replace('http', 'ws')}/api/term/terminals/${r.id}/ws?cols=80&rows=24`;
    const first = await TermSocket.open(rUrl, headers);
    first.type('seq 1 3000; echo SCREEN-$((1+1))');
    await first.until(() => first.text.includes('SCREEN-2'));
    first.close();
    const toReplayed: number[] = [];
    const toScreen: number[] = [];
    let replayBytes = 0;
    for (let i = 0; i < REATTACH_ROUNDS; i++) {
      const s = await TermSocket.open(rUrl, headers);
      const t0 = s.openedAt;
      await s.until(() => s.replayed >= 0);
      toReplayed.push(performance.now() - t0);
      await s.until(() => s.textAfterReplay().includes('SCREEN-2'));
      toScreen.push(performance.now() - t0);
      replayBytes = s.replayed;
      const history = s.textBeforeReplay();
      if (!history.includes('\r\n1\r\n') && !history.startsWith('1\r\n')) {
        console.log('  (c) warning: the scrollback did not start at line 1');
      }
      s.close();
    }
    console.log(`terminal (c): reattach, median of ${REATTACH_ROUNDS} (3,000 lines of scrollback)`);
    console.log(
      `  socket open -> scrollback sent: ${median(toReplayed).toFixed(1)} ms (${(replayBytes / 1024).toFixed(0)} KB)`,
    );
    console.log(
      `  socket open -> screen back:     ${median(toScreen).toFixed(1)} ms (goal <= 200)`,
    );
  }

  try {
    if (parts.includes('a')) await throughput();
    if (parts.includes('b')) await echo();
    if (parts.includes('c')) await reattach();
  } finally {
    await server.stop();
    for (const s of [socket, baseSocket]) {
      try {
        execFileSync('tmux', ['-L', s, 'kill-server'], { stdio: 'ignore' });
      } catch {
        // not running
      }
      await rm(path.join('/tmp', `tmux-${process.getuid?.()}`, s), { force: true });
    }
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A terminal socket that acks as xterm.js does: every FLOW_ACK_BYTES bytes written. */
class TermSocket {
  text = '';
  bytes = 0;
  frames = 0;
  /** Bytes of scrollback (the `terminal.replayed` frame); -1 before it. */
  replayed = -1;
  private replayAt = -1;
  private unacked = 0;
  private lastData = performance.now();
  private waiters = new Set<() => void>();
  openedAt = 0;

  private constructor(private readonly ws: WebSocket) {
    const decoder = new TextDecoder();
    ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) {
        const f = JSON.parse(String(data)) as { type: string; bytes?: number };
        if (f.type === 'terminal.replayed') {
          this.replayed = f.bytes ?? 0;
          this.replayAt = this.text.length;
        }
      } else {
        this.text += decoder.decode(data, { stream: true });
        this.bytes += data.length;
        this.frames++;
        this.lastData = performance.now();
        this.unacked += data.length;
        if (this.unacked >= FLOW_ACK_BYTES) {
          ws.send(JSON.stringify({ type: 'terminal.ack', bytes: this.unacked }));
          this.unacked = 0;
        }
      }
      for (const w of this.waiters) w();
    });
  }

  static open(url: string, headers: Record<string, string>): Promise<TermSocket> {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    const s = new TermSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        s.openedAt = performance.now();
        resolve(s);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  textBeforeReplay(): string {
    return this.replayAt < 0 ? '' : this.text.slice(0, this.replayAt);
  }

  textAfterReplay(): string {
    return this.replayAt < 0 ? '' : this.text.slice(this.replayAt);
  }

  send(data: string): void {
    this.ws.send(Buffer.from(data), { binary: true });
  }

  type(line: string): void {
    this.ws.send(JSON.stringify({ type: 'terminal.input', data: `${line}\r` }));
  }

  until(pred: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once the output contains `s`, searching only what is new (output is large). */
  waitForText(s: string): Promise<void> {
    let from = 0;
    return this.until(() => {
      const found = this.text.indexOf(s, from) >= 0;
      from = Math.max(0, this.text.length - s.length);
      return found;
    });
  }

  /** Resolves with the time the next output containing `key` arrived. */
  waitFor(key: string): Promise<number> {
    const from = this.text.length;
    return new Promise((resolve) => {
      const check = () => {
        if (this.text.indexOf(key, from) < 0) return;
        this.waiters.delete(check);
        resolve(performance.now());
      };
      this.waiters.add(check);
    });
  }

  /** Resolves once no output came for `ms`. */
  async idle(ms: number): Promise<void> {
    while (performance.now() - this.lastData < ms) {
      await new Promise((r) => setTimeout(r, ms / 3));
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** Letters that no escape sequence tmux sends ends in (m, l, h, r, q, c do). */
const KEY_LETTERS = 'abdefgijknopstuvwxyz';

/** KEYS round trips, one key at a time; each key a letter that cycles. */
async function echoTimes(
  send: (key: string) => void,
  echoed: (key: string) => Promise<number>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < KEYS + 50; i++) {
    const key = KEY_LETTERS[i % KEY_LETTERS.length]!;
    const back = echoed(key);
    const t0 = performance.now();
    send(key);
    const t1 = await back;
    if (i >= 50) times.push(t1 - t0); // the first 50 warm up
  }
  return times;
}

/** The baseline of (b): a pty running `stty raw -echo; exec cat`, no tmux, no socket. */
async function rawPtyEcho(): Promise<number[]> {
  const p = pty.spawn(
    'bash',
    ['--noprofile', '--norc', '-c', 'stty raw -echo; echo ready; exec cat'],
    {
      cols: 80,
      rows: 24,
      encoding: null,
    },
  );
  let text = '';
  const waiters = new Set<() => void>();
  p.onData((d) => {
    text += d.toString('latin1');
    for (const w of waiters) w();
  });
  await new Promise<void>((resolve) => {
    const check = () => text.includes('ready') && (waiters.delete(check), resolve());
    waiters.add(check);
    check();
  });
  const times = await echoTimes(
    (k) => p.write(k),
    (k) => {
      const from = text.length;
      return new Promise((resolve) => {
        const check = () => {
          if (text.indexOf(k, from) < 0) return;
          waiters.delete(check);
          resolve(performance.now());
        };
        waiters.add(check);
      });
    },
  );
  p.kill();
  return times;
}

/** The baseline of (a): the same `cat` in a tmux session (same settings) read by node-pty. */
async function catInPtyTmux(
  socket: string,
  conf: string,
  file: string,
  marker: string,
  n: number,
): Promise<number> {
  const name = `base-${n}`;
  const env = { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' } as Record<string, string>;
  delete env.TMUX;
  const p = pty.spawn(
    'tmux',
    [
      '-u',
      '-L',
      socket,
      '-f',
      conf,
      'new-session',
      '-A',
      '-s',
      name,
      '-x',
      '80',
      '-y',
      '24',
      ...SHELL.split(' '),
    ],
    { name: 'xterm-256color', cols: 80, rows: 24, env, encoding: null },
  );
  let text = '';
  let last = performance.now();
  const waiters = new Set<() => void>();
  p.onData((d) => {
    text += d.toString('latin1');
    last = performance.now();
    for (const w of waiters) w();
  });
  while (performance.now() - last < 300 || text.length === 0) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const t0 = performance.now();
  p.write(`cat ${file}; echo ${marker.slice(0, 4)}$((${n}))\r`);
  await new Promise<void>((resolve) => {
    let from = 0;
    const check = () => {
      const found = text.indexOf(marker, from) >= 0;
      from = Math.max(0, text.length - marker.length);
      if (found) {
        waiters.delete(check);
        resolve();
      }
    };
    waiters.add(check);
  });
  const took = performance.now() - t0;
  if (process.env.BENCH_TRACE) console.log(`  (a) baseline: ${text.length} bytes`);
  p.kill();
  try {
    execFileSync('tmux', ['-L', socket, 'kill-session', '-t', `=${name}`], { stdio: 'ignore' });
  } catch {
    // gone
  }
  return took;
}

/** booterm's pid: the child of the server whose command line runs apps/booterm. */
function bootermPid(serverPid: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== serverPid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('booterm')) return Number(entry);
    } catch {
      // gone
    }
  }
  throw new Error('booterm is not running under the server');
}

/** booterm's BOOCODE_HOME, from its environment (its tmux.conf is there). */
function findHome(pid: number): string {
  const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  const home = env.find((e) => e.startsWith('BOOCODE_HOME='));
  if (!home) throw new Error('booterm has no BOOCODE_HOME');
  return home.slice('BOOCODE_HOME='.length);
}

function memory(pid: number): { rssMb: string; peakMb: string } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rssMb: (kb('VmRSS') / 1024).toFixed(1), peakMb: (kb('VmHWM') / 1024).toFixed(1) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

function fmt(xs: number[]): string {
  return `${pct(xs, 50).toFixed(2)} / ${pct(xs, 99).toFixed(2)} / ${Math.max(...xs).toFixed(2)}`;
}
