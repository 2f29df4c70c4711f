import os from 'node:os';
import { spawn, type IPty } from 'node-pty';
import type { WebSocket } from 'ws';
import {
  FLOW_HIGH_WATERMARK,
  FLOW_LOW_WATERMARK,
  TERMINAL_WS_BAD_FRAME,
  TerminalClientFrame,
  type TerminalServerFrame,
} from '@boocode/protocol';
import type { Tmux } from './tmux.ts';

/** Output waits up to this long to go out in one frame with what follows it ... */
const COALESCE_MS = 5;
/** ... or until this much is waiting. (An echo of recent input goes at once: see onOutput.) */
const COALESCE_BYTES = 64 * 1024;
/** Colours, scroll region, screen and scrollback reset: what follows is the whole terminal. */
const CLEAR_ALL = '\x1b[0m\x1b[r\x1b[H\x1b[2J\x1b[3J';
/** Output quiet this long ends a burst: then the browser's scrollback is checked (see settle). */
const SETTLE_MS = 150;

/** What a test or the bench can read about one socket's flow control. */
export interface AttachmentStats {
  /** Output bytes sent and not acknowledged yet. */
  unacked: number;
  peakUnacked: number;
  /** Highest `ws.bufferedAmount` seen right after a send. */
  peakBuffered: number;
  paused: boolean;
  /** How many times the pty was paused. */
  pauses: number;
  bytesSent: number;
  framesSent: number;
  /** Output came and the check at the end of its burst has not finished yet (see settle). */
  settling: boolean;
  /** How many times the scrollback was sent again after a burst. */
  resyncs: number;
}

/** Thrown by `AttachOptions.prepare` to end the socket at once with `code`. */
export class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly frame: TerminalServerFrame | null,
    reason: string,
  ) {
    super(reason);
  }
}

export interface AttachOptions {
  tmux: Tmux;
  name: string;
  /** The size the socket asked for. */
  size: { cols: number; rows: number };
  /** Checks the terminal; throws Refusal when it cannot be had. */
  prepare: () => Promise<void>;
  replayLines: number;
  /** The tmux client exited and the session is gone: record it, the socket closes next. */
  onSessionEnded: () => Promise<void>;
  onError: (err: unknown) => void;
}

/**
 * One WebSocket attached to one terminal: its own tmux client in a node-pty, so each view
 * has its own flow control and size (tmux's `window-size latest` picks the newest).
 * On attach the scrollback goes first, then live output: the tmux client's first bytes
 * repaint the screen, so nothing is shown twice.
 */
export class Attachment {
  private pty: IPty | null = null;
  private closed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private lastInput = 0;
  /**
   * Input that came before the tmux client was attached: it sets raw mode with a flush,
   * so anything written earlier would be lost. Its first output (the repaint) means ready.
   */
  private earlyInput: (string | Buffer)[] | null = [];
  private size: { cols: number; rows: number };
  /**
   * What went out since tmux's scrollback was last measured (`historySize` lines then): line
   * feeds, and whether the pty was paused (tmux then repaints rather than queues).
   */
  private burst = { lf: 0, paused: false };
  private historySize = 0;
  private settleTimer: NodeJS.Timeout | null = null;
  readonly stats: AttachmentStats = {
    unacked: 0,
    peakUnacked: 0,
    peakBuffered: 0,
    paused: false,
    pauses: 0,
    bytesSent: 0,
    framesSent: 0,
    settling: false,
    resyncs: 0,
  };

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: AttachOptions,
  ) {
    this.size = { ...opts.size };
    // Listening from the first moment: frames sent right after the upgrade are kept.
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  /** Checks the terminal, sends the scrollback, then starts the tmux client. */
  async start(): Promise<void> {
    try {
      await this.opts.prepare();
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      if (err.frame) this.sendControl(err.frame);
      return this.close(err.code, err.message);
    }
    if (this.closed) return;
    const history = await this.opts.tmux.history(this.opts.name, this.opts.replayLines);
    if (this.closed) return;
    // An ended session's scrollback goes with its last screen (see ended).
    if (!history || history.ended) return this.ended();
    this.sendControl({ type: 'terminal.replayed', bytes: this.replay(history, false) });
    this.spawnClient();
  }

  /**
   * Sends tmux's scrollback so that it ends just above a blank screen, which the tmux client
   * started next repaints (`clear`: the screen and scrollback are wiped first). Returns the
   * bytes sent.
   */
  private replay(history: { bytes: Buffer; size: number }, clear: boolean): number {
    this.historySize = history.size;
    this.burst = { lf: 0, paused: false };
    if (history.bytes.length === 0 && !clear) return 0;
    // `\n` -> `\r\n`, colours reset, then enough new lines to push all of it into
    // xterm.js's scrollback: the screen tmux repaints next must start out blank.
    const out = Buffer.concat([
      Buffer.from(clear ? CLEAR_ALL : ''),
      crlf(history.bytes),
      Buffer.from(`\x1b[0m${'\r\n'.repeat(Math.max(0, this.size.rows - 1))}`),
    ]);
    this.sendOutput(out);
    return out.length;
  }

  /** Starts this view's tmux client at the view's size; its first bytes repaint the screen. */
  private spawnClient(): void {
    const { cols, rows } = this.size;
    const pty = spawn('tmux', this.opts.tmux.attachArgs(this.opts.name), {
      name: 'xterm-256color',
      cols,
      rows,
      cwd: os.homedir(),
      env: this.opts.tmux.env,
      encoding: null,
    });
    this.pty = pty;
    if (this.stats.unacked > FLOW_HIGH_WATERMARK) this.pause();
    // Paused by the replay, not by live output: no line of it is dropped.
    this.burst.paused = false;
    pty.onData((chunk) => {
      // A client replaced by resync may say a last word: the new one repaints anyway.
      if (this.pty !== pty) return;
      this.onOutput(chunk as unknown as Buffer);
      if (this.earlyInput) {
        for (const input of this.earlyInput) pty.write(input);
        this.earlyInput = null;
      }
    });
    pty.onExit(() => {
      if (this.pty === pty) void this.onPtyExit();
    });
  }

  /**
   * At the end of a burst: did the browser see every line that went into tmux's scrollback?
   * tmux draws its screen, not the byte stream: the lines one read of the program's output
   * scrolls past beyond a screenful are never sent, nor are those it drops while the pty is
   * paused. So when tmux's scrollback grew by more lines than the output had line feeds (tmux
   * sends one for every row it scrolls, wrapped rows too), the view is made again: scrollback
   * from tmux, then a new tmux client to repaint the screen, as on a reattach.
   */
  private async settle(): Promise<void> {
    this.settleTimer = null;
    try {
      await this.checkBurst();
    } catch (err) {
      // Recording an ended session can fail (the database went): the view ends, booterm stays.
      this.opts.onError(err);
      this.close(1011, 'error');
    } finally {
      if (!this.settleTimer) this.stats.settling = false;
    }
  }

  private async checkBurst(): Promise<void> {
    if (this.closed || !this.pty || this.stats.paused) return;
    const { lf, paused } = this.burst;
    // Less than a screenful cannot have been cut short: keep counting.
    if (!paused && lf < this.size.rows) return;
    const size = await this.opts.tmux.historySize(this.opts.name);
    if (this.closed || size === null) return;
    const grown = size - this.historySize;
    this.historySize = size;
    this.burst = { lf: 0, paused: false };
    // A negative growth: tmux trimmed its full scrollback, so nothing can be told.
    if (!paused && grown >= 0 && grown <= lf) return;
    await this.resync();
  }

  private async resync(): Promise<void> {
    const old = this.pty;
    if (!old || this.closed) return;
    this.stats.resyncs++;
    this.flush();
    // From now on the old client's output and exit are ignored, and keys wait for the new one.
    this.pty = null;
    this.earlyInput ??= [];
    try {
      old.kill('SIGHUP');
    } catch {
      // already gone
    }
    const history = await this.opts.tmux.history(this.opts.name, this.opts.replayLines);
    if (this.closed) return;
    if (!history || history.ended) return this.ended();
    this.replay(history, true);
    this.spawnClient();
  }

  /**
   * The view's size. Asked again unchanged (the browser does when the view is looked at), it
   * makes tmux take this view's size over another view's (`window-size latest`): the tmux
   * client gets a SIGWINCH, which the kernel sends only for a change.
   */
  resize(cols: number, rows: number): void {
    const same = cols === this.size.cols && rows === this.size.rows;
    this.size = { cols, rows };
    if (!this.pty || this.closed) return;
    if (!same) return this.pty.resize(cols, rows);
    try {
      process.kill(this.pty.pid, 'SIGWINCH');
    } catch {
      // the client is gone; its exit is on the way
    }
  }

  /**
   * The session's program has exited: this view's tmux client, still attached to what is left
   * of it, is sent away, and its exit ends the view (see ended). A view still starting finds
   * out on its own.
   */
  programEnded(): void {
    try {
      this.pty?.kill('SIGHUP');
    } catch {
      // already gone: its exit is on the way
    }
  }

  /** Ends this view (the session lives on); `code` tells the browser why. */
  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
    this.dispose();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (isBinary) return this.input(data);
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      json = null;
    }
    const frame = TerminalClientFrame.safeParse(json);
    if (!frame.success) return this.close(TERMINAL_WS_BAD_FRAME, 'bad frame');
    const f = frame.data;
    switch (f.type) {
      case 'terminal.input':
        return this.input(f.data);
      case 'terminal.resize':
        return this.resize(f.cols, f.rows);
      case 'terminal.ack':
        return this.ack(f.bytes);
    }
  }

  private input(data: string | Buffer): void {
    this.lastInput = performance.now();
    if (this.earlyInput) this.earlyInput.push(data);
    else this.pty?.write(data);
  }

  private ack(bytes: number): void {
    this.stats.unacked = Math.max(0, this.stats.unacked - bytes);
    if (this.stats.paused && this.stats.unacked < FLOW_LOW_WATERMARK) {
      this.stats.paused = false;
      this.pty?.resume();
    }
  }

  private pause(): void {
    if (this.stats.paused || !this.pty) return;
    this.stats.paused = true;
    this.stats.pauses++;
    this.burst.paused = true;
    this.pty.pause();
  }

  /**
   * Coalesces tmux's many small writes (a stream of them costs every hop per frame): output
   * goes as one frame per COALESCE_MS or COALESCE_BYTES, except that the first chunk after
   * a quiet spell, and whatever answers recent input (an echoed key), goes at once.
   */
  private onOutput(chunk: Buffer): void {
    if (this.closed) return;
    const b = this.burst;
    if (!b.paused) for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) b.lf++;
    this.stats.settling = true;
    if (this.settleTimer) this.settleTimer.refresh();
    else this.settleTimer = setTimeout(() => void this.settle(), SETTLE_MS);
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const now = performance.now();
    if (
      this.pendingBytes >= COALESCE_BYTES ||
      now - this.lastInput < COALESCE_MS ||
      now - this.lastFlush >= COALESCE_MS
    ) {
      return this.flush();
    }
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS - (now - this.lastFlush));
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingBytes === 0) return;
    const out = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlush = performance.now();
    this.sendOutput(out);
  }

  private sendOutput(out: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(out, { binary: true });
    const s = this.stats;
    s.bytesSent += out.length;
    s.framesSent++;
    s.unacked += out.length;
    s.peakUnacked = Math.max(s.peakUnacked, s.unacked);
    s.peakBuffered = Math.max(s.peakBuffered, this.ws.bufferedAmount);
    if (s.unacked > FLOW_HIGH_WATERMARK) this.pause();
  }

  private sendControl(frame: TerminalServerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private async onPtyExit(): Promise<void> {
    this.flush();
    this.pty = null;
    if (this.closed) return;
    try {
      await this.ended();
    } catch (err) {
      this.opts.onError(err);
      this.close(1011, 'error');
    }
  }

  /**
   * Ends the view if the session's program has exited, or the session is gone: records it and
   * tells the browser. An exited program's pane is kept, and what it showed is sent again in
   * full (a tmux client wipes the screen as it exits), its last line at the bottom. A program
   * still running means that only this view's tmux client went (detached from inside tmux,
   * killed): the browser may reattach.
   */
  private async ended(): Promise<void> {
    const pane = await this.opts.tmux.pane(this.opts.name, this.opts.replayLines);
    if (this.closed) return;
    if (pane.state === 'running') return this.close(1011, 'detached');
    await this.opts.onSessionEnded();
    if (pane.state === 'ended') {
      this.sendOutput(Buffer.concat([Buffer.from(CLEAR_ALL), crlf(pane.text)]));
    }
    this.sendControl({ type: 'terminal.exit' });
    this.close(1000, 'session ended');
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    this.pending = [];
    const pty = this.pty;
    this.pty = null;
    // SIGHUP makes the tmux client detach; the session and its programs run on.
    if (pty) {
      try {
        pty.kill('SIGHUP');
      } catch {
        // already gone
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

function crlf(buf: Buffer): Buffer {
  let n = 0;
  for (const b of buf) if (b === 0x0a) n++;
  const out = Buffer.allocUnsafe(buf.length + n);
  let j = 0;
  for (const b of buf) {
    if (b === 0x0a) out[j++] = 0x0d;
    out[j++] = b;
  }
  return out;
}
