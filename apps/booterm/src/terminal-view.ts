import os from 'node:os';
import { spawn, type IPty } from 'node-pty';
import type { WebSocket } from 'ws';
import {
  TERMINAL_WS_BAD_FRAME,
  TerminalClientFrame,
  type TerminalServerFrame,
} from '@boocode/protocol';
import { BurstWatch } from './burst-watch.ts';
import { FlowControl, type FlowStats } from './flow-control.ts';
import { OutputPacer, sharedPause } from './output-pacer.ts';
import { ViewInput } from './view-input.ts';
import { lastScreenBytes, replayBytes } from './replay-bytes.ts';
import type { Tmux } from './tmux.ts';

/** What a test or the bench can read about one view's socket. */
export interface ViewStats extends FlowStats {
  /** Highest `ws.bufferedAmount` seen right after a send. */
  peakBuffered: number;
  bytesSent: number;
  framesSent: number;
  /** Output came and the check at the end of its burst has not finished yet (see BurstWatch). */
  settling: boolean;
  /** How many times the scrollback was sent again after a burst. */
  resyncs: number;
}

/** Thrown by `ViewOptions.prepare` to end the socket at once with `code`. */
export class Refusal extends Error {
  constructor(
    readonly code: number,
    readonly frame: TerminalServerFrame | null,
    reason: string,
  ) {
    super(reason);
  }
}

export interface ViewOptions {
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
 * One browser view of a terminal: a WebSocket with its own tmux client in a node-pty, so each
 * view has its own flow control and size (tmux's `window-size latest` picks the newest).
 * On attach the scrollback goes first, then live output: the tmux client's first bytes
 * repaint the screen, so nothing is shown twice.
 */
export class TerminalView {
  private pty: IPty | null = null;
  private closed = false;
  private readonly keys = new ViewInput((message) =>
    this.sendControl({ type: 'terminal.notice', message }),
  );
  private size: { cols: number; rows: number };
  private readonly burst = new BurstWatch(() => this.settle());
  private readonly flow = new FlowControl(() => this.burst.outputPaused());
  private readonly output = new OutputPacer((out) => this.sendOutput(out));
  private readonly sent = { peakBuffered: 0, bytesSent: 0, framesSent: 0, resyncs: 0 };

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: ViewOptions,
  ) {
    this.size = { ...opts.size };
    // Listening from the first moment: frames sent right after the upgrade are kept.
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', () => this.dispose());
    ws.on('error', () => this.dispose());
  }

  get stats(): ViewStats {
    return { ...this.flow.stats, ...this.sent, settling: this.burst.settling };
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

  /** Sends tmux's scrollback (see replayBytes); returns the bytes sent. */
  private replay(history: { bytes: Buffer; size: number }, clear: boolean): number {
    this.burst.restart(history.size);
    const out = replayBytes(history.bytes, this.size.rows, clear);
    if (out.length > 0) this.sendOutput(out);
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
    const gate = sharedPause(pty);
    this.flow.setSource(gate());
    this.output.setSource(gate());
    this.burst.ignorePause();
    pty.onData((chunk) => {
      // A client replaced by resync may say a last word: the new one repaints anyway.
      if (this.pty !== pty) return;
      this.onOutput(chunk as unknown as Buffer);
      this.keys.output(pty);
    });
    pty.onExit(() => {
      if (this.pty === pty) void this.onPtyExit();
    });
  }

  /** At the end of a burst: when the browser missed lines of the scrollback, resync. */
  private async settle(): Promise<void> {
    try {
      if (this.closed || !this.pty || this.flow.stats.paused) return;
      if (!this.burst.due(this.size.rows)) return;
      const size = await this.opts.tmux.historySize(this.opts.name);
      if (this.closed || size === null) return;
      if (this.burst.missed(size)) await this.resync();
    } catch (err) {
      // Recording an ended session can fail (the database went): the view ends, booterm stays.
      this.opts.onError(err);
      this.close(1011, 'error');
    }
  }

  /** Makes the view again, as on a reattach: scrollback from tmux, a new tmux client. */
  private async resync(): Promise<void> {
    const old = this.pty;
    if (!old || this.closed) return;
    this.sent.resyncs++;
    // From now on the old client's output and exit are ignored, and keys wait for the new one.
    this.pty = null;
    this.flow.setSource(null);
    this.output.setSource(null);
    this.keys.hold();
    // Keys sent to the old client reach tmux before it goes; new ones wait for the new client.
    await this.keys.delivered(old);
    hangUp(old);
    if (this.closed) return;
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
   * The session's program has exited: this view's tmux client is sent away, and its exit ends
   * the view (see ended). A view still starting finds out on its own.
   */
  programEnded(): void {
    if (this.pty) hangUp(this.pty);
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
        return this.flow.acked(f.bytes);
    }
  }

  private input(data: string | Buffer): void {
    this.output.inputSent();
    this.keys.write(data);
  }

  private onOutput(chunk: Buffer): void {
    if (this.closed) return;
    this.burst.output(chunk);
    this.output.push(chunk);
  }

  private sendOutput(out: Buffer): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(out, { binary: true });
    this.sent.bytesSent += out.length;
    this.sent.framesSent++;
    this.sent.peakBuffered = Math.max(this.sent.peakBuffered, this.ws.bufferedAmount);
    this.flow.sent(out.length);
  }

  private sendControl(frame: TerminalServerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private async onPtyExit(): Promise<void> {
    this.pty = null;
    this.flow.setSource(null);
    this.output.setSource(null);
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
    if (pane.state === 'ended') this.sendOutput(lastScreenBytes(pane.text));
    this.sendControl({ type: 'terminal.exit' });
    this.close(1000, 'session ended');
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.output.dispose();
    this.burst.dispose();
    const pty = this.pty;
    this.pty = null;
    this.flow.setSource(null);
    if (pty) hangUp(pty);
  }
}

/** SIGHUP makes a tmux client detach; the session and its programs run on. */
function hangUp(pty: IPty): void {
  try {
    pty.kill('SIGHUP');
  } catch {
    // already gone: its exit is on the way
  }
}
