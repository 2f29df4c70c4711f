import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { TerminalServerFrame, type Terminal } from '@boocode/protocol';
import { freePort, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
/** A shell that starts at once: the user's rc files may be slow and print anything. */
export const TEST_SHELL = '/bin/bash --noprofile --norc';

export interface Booterm extends App {
  db: TestDatabase;
  home: string;
  socket: string;
  base: string;
  origin: string;
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  create(body?: Record<string, unknown>): Promise<Terminal>;
  /** Stops booterm (sessions stay in tmux) and starts it again on the same tmux socket. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** booterm in-process on a private tmux socket, listening on a free port. */
export async function startBooterm(env: Record<string, string> = {}): Promise<Booterm> {
  const db = await testDatabase();
  const home = await mkdtemp(path.join(os.tmpdir(), 'booterm-test-'));
  const socket = `booterm-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const start = async () => {
    const port = await freePort();
    const config = loadConfig({
      BOOTERM_PORT: String(port),
      BOOCODE_HOME: home,
      BOOTERM_TMUX_SOCKET: socket,
      BOOTERM_SHELL: TEST_SHELL,
      LOG_LEVEL: 'silent',
      HOME: os.homedir(),
      ...env,
    });
    const built = await buildApp({ config, sql: db.sql, token: TOKEN });
    await built.app.listen({ port, host: '127.0.0.1' });
    return { built, base: `http://127.0.0.1:${port}` };
  };
  let current = await start();
  const b: Booterm = {
    ...current.built,
    db,
    home,
    socket,
    base: current.base,
    origin: current.base,
    async api<T>(method: string, p: string, body?: unknown) {
      const res = await fetch(b.base + p, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          origin: b.origin,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async create(body = {}) {
      const res = await b.api<Terminal>('POST', '/api/term/terminals', body);
      if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async restart() {
      await current.built.app.close();
      current = await start();
      Object.assign(b, current.built, { base: current.base, origin: current.base });
    },
    async close() {
      await current.built.app.close();
      await current.built.tmux.killServer();
      // tmux leaves its socket file behind.
      await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.()}`, socket), {
        force: true,
      });
      await db.drop();
      await rm(home, { recursive: true, force: true });
    },
  };
  return b;
}

export interface OpenOptions {
  cols?: number;
  rows?: number;
  /** Acknowledge each output frame as it arrives, as xterm.js does once written (default). */
  ack?: boolean;
  headers?: Record<string, string>;
}

/** A terminal socket as the browser holds it: output decoded as one stream, acks sent. */
export class TermClient {
  readonly frames: Buffer[] = [];
  readonly controls: TerminalServerFrame[] = [];
  /** All output so far, decoded as one UTF-8 stream (as xterm.js does across writes). */
  text = '';
  bytes = 0;
  unackedBytes = 0;
  /** How many output frames came before `terminal.replayed` (the scrollback). */
  replayFrames = -1;
  readonly closed: Promise<{ code: number }>;
  private readonly decoder = new TextDecoder('utf-8');
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    public acking: boolean,
  ) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) {
        this.frames.push(data);
        this.bytes += data.length;
        this.text += this.decoder.decode(data, { stream: true });
        if (this.acking) this.send({ type: 'terminal.ack', bytes: data.length });
        else this.unackedBytes += data.length;
      } else {
        const frame = TerminalServerFrame.parse(JSON.parse(String(data)));
        if (frame.type === 'terminal.replayed') this.replayFrames = this.frames.length;
        this.controls.push(frame);
      }
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        for (const w of this.waiters) w();
        resolve({ code });
      }),
    );
  }

  static open(b: Booterm, id: string, opts: OpenOptions = {}): Promise<TermClient> {
    const q = `cols=${opts.cols ?? 80}&rows=${opts.rows ?? 24}`;
    const ws = new WebSocket(`${b.base.replace('http', 'ws')}/api/term/terminals/${id}/ws?${q}`, {
      headers: { authorization: `Bearer ${TOKEN}`, origin: b.origin, ...opts.headers },
    });
    return new Promise((resolve, reject) => {
      // Listening from the start: the first frames come right after the upgrade.
      const client = new TermClient(ws, opts.ack ?? true);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Types `line` and Enter. */
  type(line: string): void {
    this.send({ type: 'terminal.input', data: `${line}\r` });
  }

  /** Acknowledges everything received, and acks from now on. */
  ackAll(): void {
    this.acking = true;
    if (this.unackedBytes > 0) this.send({ type: 'terminal.ack', bytes: this.unackedBytes });
    this.unackedBytes = 0;
  }

  /**
   * Resolves once `pred` holds on what arrived (checked after every frame); fails, showing
   * what did arrive, when the socket closes first or after `ms`.
   */
  until(pred: () => boolean, what = 'condition', ms = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(`no ${what} in ${ms} ms; got: ${JSON.stringify(plain(this.text).slice(-300))}`),
        );
      }, ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        } else if (this.ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(
            new Error(
              `socket closed before ${what}; got: ${JSON.stringify(plain(this.text).slice(-300))}`,
            ),
          );
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** The scrollback replayed, and what came after it (the live part), as text. */
  parts(): { replay: string; live: string } {
    const n = Math.max(0, this.replayFrames);
    return {
      replay: Buffer.concat(this.frames.slice(0, n)).toString('utf8'),
      live: Buffer.concat(this.frames.slice(n)).toString('utf8'),
    };
  }

  /** Resolves once the plain text (escapes removed) contains `s`. */
  waitForText(s: string, ms?: number): Promise<void> {
    return this.until(() => plain(this.text).includes(s), JSON.stringify(s), ms);
  }

  waitForControl(type: TerminalServerFrame['type']): Promise<void> {
    return this.until(() => this.controls.some((c) => c.type === type), type);
  }

  close(): Promise<{ code: number }> {
    this.ws.close();
    return this.closed;
  }
}

/** Terminal output without escape sequences; each sequence becomes a line break. */
// Escape sequences are control characters by definition.
/* eslint-disable no-control-regex */
export function plain(s: string): string {
  return s
    .replace(/\x1b\[[0-9;?<=>]*[ -/]*[@-~]/g, '\n')
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '\n')
    .replace(/\x1b[()][0-9A-Za-z]/g, '')
    .replace(/\x1b[=>78DEHMc]/g, '\n')
    .replace(/\r/g, '');
}
/* eslint-enable no-control-regex */
