import WebSocket from 'ws';
import { TerminalServerFrame, type TerminalClientFrame } from '@boocode/protocol';

export interface TermClientOptions {
  /** Sent with the upgrade: auth and Origin. */
  headers?: Record<string, string>;
  /** Acknowledge output as xterm.js does once it has written it (default); false: hold acks. */
  ack?: boolean;
  /**
   * Ack once this many bytes wait to be acknowledged; xterm.js in the browser uses
   * `FLOW_ACK_BYTES`. Default 1: every output frame is acknowledged as it comes.
   */
  ackBytes?: number;
}

/**
 * A terminal socket as the browser holds it: output decoded as one UTF-8 stream (as xterm.js
 * does across writes), control frames parsed with the protocol's schema, acks sent.
 */
export class TermClient {
  /** The output frames, as they came. */
  readonly frames: Buffer[] = [];
  readonly controls: TerminalServerFrame[] = [];
  /** All output so far, decoded as one UTF-8 stream. */
  text = '';
  bytes = 0;
  unackedBytes = 0;
  /** How many output frames came before `terminal.replayed` (the scrollback); -1 before it. */
  replayFrames = -1;
  /** `performance.now()` when the socket opened, and when output last came. */
  openedAt = 0;
  lastOutputAt = 0;
  readonly closed: Promise<{ code: number }>;
  private readonly decoder = new TextDecoder('utf-8');
  private waiters: (() => void)[] = [];

  private constructor(
    readonly ws: WebSocket,
    public acking: boolean,
    private readonly ackBytes: number,
  ) {
    ws.on('message', (data: Buffer, isBinary) => {
      if (isBinary) this.onOutput(data);
      else this.onControl(data);
      for (const w of this.waiters) w();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        for (const w of this.waiters) w();
        resolve({ code });
      }),
    );
  }

  /** Opens `url` (`ws://…/api/term/terminals/:id/ws?cols=C&rows=R`); fails with `HTTP <status>`. */
  static open(url: string, opts: TermClientOptions = {}): Promise<TermClient> {
    const ws = new WebSocket(url, { headers: opts.headers, perMessageDeflate: false });
    // Listening from the start: the first frames come right after the upgrade.
    const client = new TermClient(ws, opts.ack ?? true, opts.ackBytes ?? 1);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        client.openedAt = performance.now();
        resolve(client);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  private onOutput(data: Buffer): void {
    this.frames.push(data);
    this.bytes += data.length;
    this.text += this.decoder.decode(data, { stream: true });
    this.lastOutputAt = performance.now();
    this.unackedBytes += data.length;
    if (this.acking && this.unackedBytes >= this.ackBytes) this.ackAll();
  }

  private onControl(data: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      json = null;
    }
    const frame = TerminalServerFrame.safeParse(json);
    if (!frame.success) throw new Error(`not a terminal frame: ${String(data).slice(0, 200)}`);
    if (frame.data.type === 'terminal.replayed') this.replayFrames = this.frames.length;
    this.controls.push(frame.data);
  }

  send(frame: TerminalClientFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Input as a binary frame (keys, as xterm.js `onBinary` sends them). */
  sendBytes(data: string | Buffer): void {
    this.ws.send(Buffer.from(data), { binary: true });
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
      const stop = (err?: Error) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        if (err) reject(err);
        else resolve();
      };
      const tail = () => JSON.stringify(plain(this.text.slice(-2000)).slice(-300));
      const timer = setTimeout(() => stop(new Error(`no ${what} in ${ms} ms; got: ${tail()}`)), ms);
      const check = () => {
        if (pred()) stop();
        else if (this.ws.readyState === WebSocket.CLOSED) {
          stop(new Error(`socket closed before ${what}; got: ${tail()}`));
        }
      };
      this.waiters.push(check);
      check();
    });
  }

  /** Resolves once the plain text (escapes removed) contains `s`. */
  waitForText(s: string, ms?: number): Promise<void> {
    return this.until(() => plain(this.text).includes(s), JSON.stringify(s), ms);
  }

  /**
   * Resolves once the output, escapes and all, contains `s` after what had come by the call;
   * looks only at what is new each time, so it stays cheap on a large output.
   */
  waitForOutput(s: string, ms?: number): Promise<void> {
    let from = this.text.length;
    return this.until(
      () => {
        const found = this.text.indexOf(s, from) >= 0;
        from = Math.max(from, this.text.length - s.length);
        return found;
      },
      JSON.stringify(s),
      ms,
    );
  }

  waitForControl(type: TerminalServerFrame['type']): Promise<void> {
    return this.until(() => this.controls.some((c) => c.type === type), type);
  }

  /** The scrollback replayed, and what came after it (the live part), as text. */
  parts(): { replay: string; live: string } {
    const n = Math.max(0, this.replayFrames);
    return {
      replay: Buffer.concat(this.frames.slice(0, n)).toString('utf8'),
      live: Buffer.concat(this.frames.slice(n)).toString('utf8'),
    };
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
