import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of one HTTP server, that knows which of its connections
 * carry an event stream (`GET /event`) and can hold back or cut those: a real dropped SSE
 * connection between the SDK client and `opencode serve`.
 */
export class EventStreamProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<Pair>();
  private watch: { pattern: string; resolve: () => void } | null = null;
  /** Event streams opened through the proxy so far. */
  eventStreams = 0;

  private constructor(private readonly target: URL) {
    this.server = net.createServer((client) => this.accept(client));
  }

  static async start(targetUrl: string): Promise<EventStreamProxy> {
    const proxy = new EventStreamProxy(new URL(targetUrl));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const { port } = this.server.address() as net.AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Cuts every event stream now. */
  cutEvents(): void {
    for (const p of this.pairs) if (p.events) p.destroy();
  }

  /**
   * From now on the bytes of the event streams open now are held back from the client; once
   * what is held contains `pattern` (an event the client must then miss), those streams are cut
   * and the held bytes dropped. With no pattern they hang until the client gives up on them.
   * Streams opened later pass.
   */
  stallEventsUntil(pattern: string | null): Promise<void> {
    for (const p of this.pairs) if (p.events) p.stalled = true;
    return new Promise((resolve) => (this.watch = pattern ? { pattern, resolve } : null));
  }

  async close(): Promise<void> {
    for (const p of this.pairs) p.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    const upstream = net.connect(Number(this.target.port), this.target.hostname);
    const pair: Pair = {
      events: false,
      stalled: false,
      held: '',
      destroy: () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      },
    };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (!pair.events && chunk.toString('latin1').includes('GET /event')) {
        pair.events = true;
        this.eventStreams++;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!pair.stalled) return void client.write(chunk);
      pair.held += chunk.toString('utf8');
      const watch = this.watch;
      if (watch && pair.held.includes(watch.pattern)) {
        this.watch = null;
        for (const p of this.pairs) if (p.stalled) p.destroy();
        watch.resolve();
      }
    });
    client.on('error', () => pair.destroy());
    upstream.on('error', () => pair.destroy());
    client.on('close', () => pair.destroy());
    upstream.on('close', () => pair.destroy());
  }
}

interface Pair {
  events: boolean;
  stalled: boolean;
  held: string;
  destroy(): void;
}
