import type { Pausable } from './flow-control.ts';

/**
 * A read this soon after the one before it means a stream of output: the next waits this long.
 * Under a 60 Hz frame, and xterm.js paints once a frame anyway. (`pnpm bench terminal a`, 100 MB:
 * 1.04-1.10 of bare tmux at 10 ms, 1.14-1.19 at 5 ms, 1.24 at 2 ms, 1.33-1.40 unpaced.)
 */
const PACE_MS = 10;

/**
 * Paces the reading of a tmux client's output. What is read goes out at once, one frame; but in
 * a stream (a read within PACE_MS of the one before) the pty rests for PACE_MS, so what tmux
 * writes meanwhile waits in the kernel and comes in one read. tmux writes a stream as thousands
 * of small pieces: read as they come, each costs a wakeup and a frame at every hop, and on a
 * busy machine those take the CPU from tmux and from the kernel's pty work that feeds it
 * (measured: a 100 MB `cat` took 1.33-1.40 times as long as with tmux alone).
 * A stream so fast that tmux cannot write it all meanwhile is redrawn by tmux, as it is while
 * flow control pauses. The first read after a quiet spell is not delayed, nor is the answer to
 * input (an echoed key): input ends the rest at once.
 */
export class OutputPacer {
  private source: Pausable | null = null;
  private rest: NodeJS.Timeout | null = null;
  private lastRead = -Infinity;

  constructor(private readonly send: (out: Buffer) => void) {}

  /** The pty that rests from now on (a new tmux client), or null while there is none. */
  setSource(source: Pausable | null): void {
    this.wake();
    this.source = source;
    this.lastRead = -Infinity;
  }

  /** `chunk` was read from the source. */
  push(chunk: Buffer): void {
    this.send(chunk);
    const now = performance.now();
    if (now - this.lastRead < PACE_MS && !this.rest && this.source) {
      this.source.pause();
      this.rest = setTimeout(() => this.wake(), PACE_MS);
    }
    this.lastRead = now;
  }

  /** Input went to the program: its answer is read at once. */
  inputSent(): void {
    this.wake();
    this.lastRead = -Infinity;
  }

  /** Ends the rest, if any. */
  dispose(): void {
    this.wake();
    this.source = null;
  }

  private wake(): void {
    if (!this.rest) return;
    clearTimeout(this.rest);
    this.rest = null;
    this.source?.resume();
  }
}

/**
 * Pausables that share one source, which is paused while any of them is: flow control and the
 * pacer pause the same pty, and the resume of one must not undo the pause of the other.
 */
export function sharedPause(source: Pausable): () => Pausable {
  let holds = 0;
  return () => {
    let held = false;
    return {
      pause() {
        if (held) return;
        held = true;
        if (holds++ === 0) source.pause();
      },
      resume() {
        if (!held) return;
        held = false;
        if (--holds === 0) source.resume();
      },
    };
  };
}
