/** Output quiet this long ends a burst: then the browser's scrollback is checked. */
const SETTLE_MS = 150;

/**
 * Tells when a view's browser missed lines of tmux's scrollback. tmux draws its screen, not
 * the byte stream: the lines one read of the program's output scrolls past beyond a screenful
 * are never sent, nor are those it drops while the output is paused. So the line feeds sent
 * are counted (tmux sends one for every row it scrolls, wrapped rows too), and at the end of a
 * burst they are compared with how much tmux's scrollback grew.
 */
export class BurstWatch {
  /** Output came and the check at the end of its burst has not finished yet. */
  settling = false;
  private lf = 0;
  private paused = false;
  private historySize = 0;
  private timer: NodeJS.Timeout | null = null;

  /** `onQuiet` runs when a burst is over (see `due` and `missed`). */
  constructor(private readonly onQuiet: () => Promise<void>) {}

  /** The browser has tmux's scrollback as it is now, `historySize` lines: counting starts over. */
  restart(historySize: number): void {
    this.historySize = historySize;
    this.lf = 0;
    this.paused = false;
  }

  /** The output was paused: tmux drops what it cannot send meanwhile. */
  outputPaused(): void {
    this.paused = true;
  }

  /** A pause that came from the replay, not from live output: no line was dropped. */
  ignorePause(): void {
    this.paused = false;
  }

  output(chunk: Buffer): void {
    if (!this.paused) {
      for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) this.lf++;
    }
    this.settling = true;
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(() => void this.quiet(), SETTLE_MS);
  }

  /** Whether tmux's scrollback is worth a look: less than a screenful cannot have been cut. */
  due(rows: number): boolean {
    return this.paused || this.lf >= rows;
  }

  /**
   * tmux's scrollback holds `size` lines now: whether it grew by more lines than the output
   * had line feeds, or cannot be told (it shrank: tmux trimmed a full one). Counting starts over.
   */
  missed(size: number): boolean {
    const grown = size - this.historySize;
    const { lf, paused } = this;
    this.restart(size);
    return paused || grown < 0 || grown > lf;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async quiet(): Promise<void> {
    this.timer = null;
    try {
      await this.onQuiet();
    } finally {
      if (!this.timer) this.settling = false;
    }
  }
}
