/** Output waits up to this long to go out in one frame with what follows it ... */
const COALESCE_MS = 5;
/** ... or until this much is waiting. (An echo of recent input goes at once: see push.) */
const COALESCE_BYTES = 64 * 1024;

/**
 * Coalesces tmux's many small writes (a stream of them costs every hop per frame): output
 * goes as one frame per COALESCE_MS or COALESCE_BYTES, except that the first chunk after a
 * quiet spell, and whatever answers recent input (an echoed key), goes at once.
 */
export class OutputCoalescer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private lastInput = 0;

  constructor(private readonly send: (out: Buffer) => void) {}

  /** Input went to the program: its answer goes out at once. */
  inputSent(): void {
    this.lastInput = performance.now();
  }

  push(chunk: Buffer): void {
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

  /** Sends what waits now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingBytes === 0) return;
    const out = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.lastFlush = performance.now();
    this.send(out);
  }

  /** Drops what waits. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
