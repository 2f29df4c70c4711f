import { FLOW_ACK_BYTES, Terminal } from '@boocode/protocol';
import { TermClient } from '@boocode/testkit';
import type { Target } from './chat-load.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Prints a numbered line every 50 ms until Ctrl+C. */
const TICKER = 'i=0; while :; do echo "tick $i"; i=$((i+1)); sleep 0.05; done';

/**
 * One terminal as a page holds it: a socket that reconnects after a drop, a booterm restart or
 * a server restart, on a shell printing all the while. At the end it must still answer.
 */
export class SoakTerm {
  private client: TermClient | null = null;
  private stopped = false;
  /** Output bytes over every socket this terminal had. */
  bytes = 0;
  reconnects = 0;

  private constructor(
    private readonly target: Target,
    readonly id: string,
  ) {}

  static async create(target: Target): Promise<SoakTerm> {
    const res = await fetch(`${target.base}/api/term/terminals`, {
      method: 'POST',
      headers: { ...target.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ cols: 80, rows: 24 }),
    });
    if (res.status !== 201) throw new Error(`terminal: HTTP ${res.status}`);
    const t = new SoakTerm(target, Terminal.parse(await res.json()).id);
    await t.connect();
    t.client!.type(TICKER);
    return t;
  }

  /** Opens a socket, trying again until one opens (the server or booterm may be away). */
  private async connect(): Promise<void> {
    for (let wait = 100; !this.stopped; wait = Math.min(wait * 2, 2000)) {
      try {
        const url = `${this.target.base.replace('http', 'ws')}/api/term/terminals/${this.id}/ws?cols=80&rows=24`;
        const client = await TermClient.open(url, {
          headers: this.target.headers,
          ackBytes: FLOW_ACK_BYTES,
        });
        this.client = client;
        void client.closed.then(() => {
          this.bytes += client.bytes;
          if (this.client !== client || this.stopped) return;
          this.reconnects++;
          void this.connect();
        });
        return;
      } catch {
        await sleep(wait);
      }
    }
  }

  drop(): void {
    this.client?.ws.terminate();
  }

  /**
   * Stops the ticker and asks the shell to compute something: true when its answer comes back
   * within 30 s, whatever sockets it takes.
   */
  async answers(n: number): Promise<boolean> {
    const want = `soak-alive-${n * 7}`;
    for (let tries = 0; tries < 10; tries++) {
      const c = this.client;
      if (!c) return false;
      try {
        c.send({ type: 'terminal.input', data: '\x03' });
        c.type(`echo soak-alive-$((${n}*7))`);
        await c.until(() => c.text.includes(want), want, 3000);
        return true;
      } catch {
        await sleep(500);
      }
    }
    return false;
  }

  close(): void {
    this.stopped = true;
    this.client?.ws.terminate();
  }
}
