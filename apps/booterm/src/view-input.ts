import type { IPty } from 'node-pty';

/** Input a terminal may be sent with no output in answer, before more is dropped. */
export const MAX_UNANSWERED_INPUT = 1024 * 1024;

/** How long tmux is given to read the keys in the kernel's buffers, after the last went there. */
const TAKE_MS = 1000;
/** How long a queue of keys that does not move is waited for. */
const STALL_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The keys of one view on their way to its tmux client.
 *
 * Keys that come before the client is attached are held: it sets raw mode with a flush, so
 * anything written earlier would be lost. Its first output (the repaint) means ready.
 *
 * And they are bounded. A program that reads no input (a `sleep` in the foreground, a hung
 * process) stops echoing once the pty's input queue is full, and from then on tmux would keep
 * whatever it is sent in memory, without limit. Any output (an echo, a prompt) shows the terminal
 * takes its input; input sent since the last output is counted, and past the bound dropped, with
 * a notice the first time. A control key (Ctrl+C, Esc...) always goes: it is how the user
 * stops the program that does not read.
 */
export class ViewInput {
  private client: IPty | null = null;
  private held: (string | Buffer)[] | null = [];
  private unanswered = 0;
  private dropping = false;
  /** When keys last went to a client, or from node-pty's queue to the kernel. */
  private lastWrite = -Infinity;

  constructor(
    private readonly notice: (message: string) => void,
    private readonly max = MAX_UNANSWERED_INPUT,
  ) {}

  write(data: string | Buffer): void {
    const bytes = Buffer.byteLength(data);
    if (this.unanswered + bytes > this.max && !isControlKey(data)) {
      if (!this.dropping) {
        this.notice(
          `Input dropped: the terminal has not taken the last ${Math.round(this.unanswered / 1024)} KiB it was sent (the program in it is not reading). Keys go through again once it prints something.`,
        );
      }
      this.dropping = true;
      return;
    }
    this.unanswered += bytes;
    if (this.held) this.held.push(data);
    else this.send(this.client, data);
  }

  private send(client: IPty | null, data: string | Buffer): void {
    if (!client) return;
    client.write(data);
    this.lastWrite = performance.now();
  }

  /** `client` printed something: it is attached (held keys go to it), and took what it was sent. */
  output(client: IPty): void {
    this.unanswered = 0;
    this.dropping = false;
    if (this.client === client && !this.held) return;
    this.client = client;
    const held = this.held ?? [];
    this.held = null;
    for (const data of held) this.send(client, data);
  }

  /** The client is being replaced: keys wait for the next one. */
  hold(): void {
    this.client = null;
    this.held ??= [];
  }

  /**
   * Resolves once the keys sent to `client`, which is being replaced, are with tmux: it may be
   * hung up then without losing them (the Ctrl+C after a paste among them). They wait in
   * node-pty's queue, then in the kernel's pty buffers (up to ~64 KiB), which tmux reads at
   * the pace it takes keys. Gives up when the queue has not moved for STALL_MS: a tmux that
   * takes no keys.
   */
  async delivered(client: IPty): Promise<void> {
    let left = unwrittenBytes(client);
    let moved = performance.now();
    while (left > 0 && performance.now() - moved < STALL_MS) {
      await sleep(10);
      const now = unwrittenBytes(client);
      if (now < left) moved = this.lastWrite = performance.now();
      left = now;
    }
    await sleep(this.lastWrite + TAKE_MS - performance.now());
  }
}

/** A key such as Ctrl+C or Esc: a few control bytes, no text. */
function isControlKey(data: string | Buffer): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return bytes.length <= 8 && bytes.every((b) => b < 0x20 || b === 0x7f);
}

/**
 * Bytes `pty` was given and has not written yet. node-pty queues what the kernel does not take at
 * once (a paste, keys for a tmux that is busy) and drops the queue when its pty closes. It has no
 * API for the queue, so this reads its write stream's (node-pty 1.1, lib/unixTerminal.js); a
 * node-pty without it reads as 0, and view-input.test.ts fails.
 */
export function unwrittenBytes(pty: IPty): number {
  const stream = (pty as unknown as { _writeStream?: { _writeQueue?: unknown } })._writeStream;
  const queue = stream?._writeQueue;
  if (!Array.isArray(queue)) return 0;
  return (queue as { buffer: Buffer; offset: number }[]).reduce(
    (n, task) => n + task.buffer.length - task.offset,
    0,
  );
}
