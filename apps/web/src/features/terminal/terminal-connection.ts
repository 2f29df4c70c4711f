import {
  Backoff,
  FLOW_ACK_BYTES,
  TERMINAL_WS_BAD_FRAME,
  TERMINAL_WS_NOT_FOUND,
  TerminalServerFrame,
  type TerminalClientFrame,
} from '@boocode/protocol';
import { terminalSocketUrl } from './terminal-api.ts';
import { toastError } from '../../lib/toast.ts';

export type TerminalStatus =
  /** First connection, not open yet. */
  | 'connecting'
  | 'open'
  /** Lost; trying again with backoff. */
  | 'reconnecting'
  /** The session ended (its shell exited, or it was killed). */
  | 'exited'
  /** The terminal does not exist (any more). */
  | 'gone';

/** Where the bytes go: the xterm.js terminal, through the view. */
export interface TerminalSink {
  /** A (re)attach is about to replay the whole terminal: start from a clean one. */
  reset(): void;
  /** Writes output; `done` once xterm.js has parsed it (the flow-control ack). */
  write(data: Uint8Array, done: () => void): void;
  /** The size the pane has now (fitted). */
  size(): { cols: number; rows: number };
  status(status: TerminalStatus, message?: string): void;
}

const RECONNECT = { initialMs: 500, maxMs: 10_000 };
/** Keys kept while the socket opens; a paste past it is dropped rather than held without end. */
const MAX_WAITING_INPUT = 64 * 1024;

/**
 * One terminal's socket: attaches at the pane's size, acks output as xterm.js finishes writing
 * it (see the flow control in packages/protocol/src/term.ts), and attaches again with backoff
 * when the connection drops. Each attach gets a generation number: an ack or a frame from an
 * older socket is dropped.
 */
export class TerminalConnection {
  private socket: WebSocket | null = null;
  private generation = 0;
  private unacked = 0;
  private readonly backoff = new Backoff(RECONNECT);
  /** Keys typed before the socket opened, sent once it has. */
  private waitingInput: string[] = [];
  private waitingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private ended = false;
  private everOpened = false;
  private sentSize: { cols: number; rows: number } | null = null;

  constructor(
    private readonly terminalId: string,
    private readonly sink: TerminalSink,
  ) {}

  start(): void {
    window.addEventListener('online', this.retryNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    clearTimeout(this.timer);
    const s = this.socket;
    this.socket = null;
    this.generation++;
    s?.close(1000);
  }

  /**
   * Keys and paste, as xterm.js gives them (onData). Typed while the socket is still opening (a
   * pane just opened, or coming back), they wait and go once it is open: no key is lost.
   */
  input(data: string): void {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.sendJson({ type: 'terminal.input', data });
      return;
    }
    if (this.stopped || this.ended || this.waitingBytes + data.length > MAX_WAITING_INPUT) return;
    this.waitingInput.push(data);
    this.waitingBytes += data.length;
  }

  /** xterm.js onBinary (mouse reports in some modes): one byte per char code. */
  binary(data: string): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    const bytes = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
    this.socket.send(bytes);
  }

  /** The pane's new size; only a change is sent. */
  resize(cols: number, rows: number): void {
    const sent = this.sentSize;
    if ((sent?.cols === cols && sent.rows === rows) || this.socket?.readyState !== WebSocket.OPEN)
      return;
    this.sentSize = { cols, rows };
    this.sendJson({ type: 'terminal.resize', cols, rows });
  }

  /**
   * This view is being looked at: its size again, even unchanged, so that the terminal takes
   * it over the size of a view in another tab or browser (the newest view's size wins).
   */
  claimSize(): void {
    if (this.sentSize) this.sendJson({ type: 'terminal.resize', ...this.sentSize });
  }

  private sendJson(frame: TerminalClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private connect(): void {
    if (this.stopped || this.ended) return;
    this.timer = undefined;
    const gen = ++this.generation;
    const { cols, rows } = this.sink.size();
    this.sink.status(this.everOpened ? 'reconnecting' : 'connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(terminalSocketUrl(this.terminalId, cols, rows));
    } catch {
      this.scheduleReconnect();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;

    socket.onopen = () => {
      if (gen !== this.generation) return;
      this.backoff.reset();
      this.everOpened = true;
      this.unacked = 0;
      this.sentSize = { cols, rows };
      this.sink.reset();
      this.sink.status('open');
      // The pane may have changed size while the socket was opening.
      const now = this.sink.size();
      this.resize(now.cols, now.rows);
      const waiting = this.waitingInput.join('');
      this.waitingInput = [];
      this.waitingBytes = 0;
      if (waiting) this.sendJson({ type: 'terminal.input', data: waiting });
    };
    socket.onmessage = (e: MessageEvent) => {
      if (gen !== this.generation) return;
      if (e.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(e.data);
        this.sink.write(bytes, () => this.written(gen, bytes.length));
        return;
      }
      this.control(String(e.data));
    };
    socket.onclose = (e: CloseEvent) => {
      if (gen !== this.generation) return;
      this.socket = null;
      if (this.ended) return this.sink.status('exited');
      if (e.code === TERMINAL_WS_NOT_FOUND) {
        this.ended = true;
        return this.sink.status('gone');
      }
      if (e.code === TERMINAL_WS_BAD_FRAME) console.warn('boocode: the terminal refused a frame');
      this.sink.status(this.everOpened ? 'reconnecting' : 'connecting');
      this.scheduleReconnect();
    };
  }

  private control(text: string): void {
    let frame: TerminalServerFrame;
    try {
      const parsed = TerminalServerFrame.safeParse(JSON.parse(text));
      if (!parsed.success) return;
      frame = parsed.data;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'terminal.replayed':
        return;
      case 'terminal.exit':
        this.ended = true;
        return;
      case 'terminal.error':
        this.sink.status(this.everOpened ? 'reconnecting' : 'connecting', frame.message);
        return;
      case 'terminal.notice':
        toastError(frame.message);
        return;
    }
  }

  private written(gen: number, bytes: number): void {
    if (gen !== this.generation) return;
    this.unacked += bytes;
    if (this.unacked < FLOW_ACK_BYTES) return;
    const acked = this.unacked;
    this.unacked = 0;
    this.sendJson({ type: 'terminal.ack', bytes: acked });
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.ended || this.timer) return;
    this.timer = setTimeout(() => this.connect(), this.backoff.next());
  }

  private readonly retryNow = (): void => {
    if (this.stopped || this.ended || this.socket) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.backoff.reset();
    this.connect();
  };
}
