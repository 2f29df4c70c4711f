import { FLOW_HIGH_WATERMARK, FLOW_LOW_WATERMARK } from '@boocode/protocol';

/** What pauses: a tmux client's pty (node-pty's `pause` stops reading it). */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/** What a test or the bench can read about one socket's flow control. */
export interface FlowStats {
  /** Output bytes sent and not acknowledged yet. */
  unacked: number;
  peakUnacked: number;
  paused: boolean;
  /** How many times the output was paused. */
  pauses: number;
}

/**
 * Flow control of one socket, after VS Code's terminal: the output bytes sent count until the
 * browser acknowledges them (once xterm.js has written them); the source is paused above
 * `FLOW_HIGH_WATERMARK` of them and resumed below `FLOW_LOW_WATERMARK`. A browser that stops
 * acking gets no more than about the high watermark; tmux, paused, redraws instead of queueing.
 */
export class FlowControl {
  readonly stats: FlowStats = { unacked: 0, peakUnacked: 0, paused: false, pauses: 0 };
  private source: Pausable | null = null;

  /** `onPause` hears of each pause (output dropped by tmux meanwhile is sent again later). */
  constructor(private readonly onPause: () => void = () => {}) {}

  /**
   * The source from now on (a new tmux client), or null while there is none. A new source
   * starts paused when the bytes already sent (the replay) are over the high watermark.
   */
  setSource(source: Pausable | null): void {
    this.source = source;
    if (!source) return;
    this.stats.paused = false;
    if (this.stats.unacked > FLOW_HIGH_WATERMARK) this.pause();
  }

  /** `bytes` of output went to the browser. */
  sent(bytes: number): void {
    const s = this.stats;
    s.unacked += bytes;
    s.peakUnacked = Math.max(s.peakUnacked, s.unacked);
    if (s.unacked > FLOW_HIGH_WATERMARK) this.pause();
  }

  /** The browser wrote `bytes` more of the output. */
  acked(bytes: number): void {
    const s = this.stats;
    s.unacked = Math.max(0, s.unacked - bytes);
    if (!s.paused || s.unacked >= FLOW_LOW_WATERMARK) return;
    s.paused = false;
    this.source?.resume();
  }

  private pause(): void {
    if (this.stats.paused || !this.source) return;
    this.stats.paused = true;
    this.stats.pauses++;
    this.onPause();
    this.source.pause();
  }
}
