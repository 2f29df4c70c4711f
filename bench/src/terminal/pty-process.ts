import { spawn, type IPty } from 'node-pty';

/**
 * A process in a pty of its own, no socket in the way: the baselines. Its output is kept as
 * latin1 text (cheap, and enough to find ASCII markers in).
 */
export class PtyProcess {
  text = '';
  lastOutputAt = performance.now();
  private readonly pty: IPty;
  private readonly waiters = new Set<() => void>();

  constructor(file: string, args: string[], env?: Record<string, string>) {
    this.pty = spawn(file, args, {
      name: 'xterm-256color',
      cols: 80,
      rows: 24,
      encoding: null,
      ...(env ? { env } : {}),
    });
    this.pty.onData((d) => {
      this.text += (d as unknown as Buffer).toString('latin1');
      this.lastOutputAt = performance.now();
      for (const w of this.waiters) w();
    });
  }

  write(data: string): void {
    this.pty.write(data);
  }

  until(pred: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!pred()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once output after the call contains `s`; looks only at what is new each time. */
  waitForOutput(s: string): Promise<void> {
    let from = this.text.length;
    return this.until(() => {
      const found = this.text.indexOf(s, from) >= 0;
      from = Math.max(from, this.text.length - s.length);
      return found;
    });
  }

  kill(): void {
    this.pty.kill();
  }
}

/** Resolves once `source` has printed nothing for `ms` (and `ms` has passed since the call). */
export async function quiet(source: { lastOutputAt: number }, ms: number): Promise<void> {
  const start = performance.now();
  while (performance.now() - Math.max(start, source.lastOutputAt) < ms) {
    await new Promise((r) => setTimeout(r, ms / 3));
  }
}
