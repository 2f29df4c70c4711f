import type { IPty } from 'node-pty';

/** Input a terminal may be sent with no output in answer, before more is dropped. */
export const MAX_UNANSWERED_INPUT = 1024 * 1024;

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
    else this.client?.write(data);
  }

  /** `client` printed something: it is attached (held keys go to it), and took what it was sent. */
  output(client: IPty): void {
    this.unanswered = 0;
    this.dropping = false;
    if (this.client === client && !this.held) return;
    this.client = client;
    const held = this.held ?? [];
    this.held = null;
    for (const data of held) client.write(data);
  }

  /** The client is being replaced: keys wait for the next one. */
  hold(): void {
    this.client = null;
    this.held ??= [];
  }
}

/** A key such as Ctrl+C or Esc: a few control bytes, no text. */
function isControlKey(data: string | Buffer): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return bytes.length <= 8 && bytes.every((b) => b < 0x20 || b === 0x7f);
}
