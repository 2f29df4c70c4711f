import { Backoff } from '@boocode/protocol';
import type { Parser } from '../../lib/api.ts';

const RECONNECT = { initialMs: 250, maxMs: 5000 };

export interface LiveSocketOptions<T> {
  /** The path (under this origin) to open; asked again before each attempt (a resume's seq). */
  path: () => string;
  schema: Parser<T>;
  onMessage: (message: T) => void;
  /** True while open; false once lost (then it tries again with backoff). */
  onOpenChange?: (open: boolean) => void;
}

/**
 * A JSON WebSocket to this origin that comes back after a drop: with the Backoff of
 * @boocode/protocol, or at once when the browser goes online again. Each message is parsed by
 * its schema; one that does not parse is dropped with a warning. A socket replaced or stopped
 * delivers nothing more.
 */
export class LiveSocket<T> {
  private socket: WebSocket | null = null;
  private readonly backoff = new Backoff(RECONNECT);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly options: LiveSocketOptions<T>) {}

  /** Starts, or starts again after a stop (React runs an effect twice in development). */
  start(): void {
    if (!this.stopped && (this.socket || this.timer)) return;
    this.stopped = false;
    window.addEventListener('online', this.retryNow);
    this.connect();
  }

  /** Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    window.removeEventListener('online', this.retryNow);
    clearTimeout(this.timer);
    const s = this.socket;
    this.socket = null;
    s?.close(1000);
  }

  private connect(): void {
    if (this.stopped) return;
    this.timer = undefined;
    let socket: WebSocket;
    try {
      socket = new WebSocket(sameOriginSocketUrl(this.options.path()));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.backoff.reset();
      this.options.onOpenChange?.(true);
    };
    socket.onmessage = (e: MessageEvent) => {
      if (this.socket !== socket || typeof e.data !== 'string') return;
      const message = parse(this.options.schema, e.data);
      if (message !== undefined) this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.options.onOpenChange?.(false);
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => this.connect(), this.backoff.next());
  }

  private readonly retryNow = (): void => {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.backoff.reset();
    this.connect();
  };
}

function parse<T>(schema: Parser<T>, data: string): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(data));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: dropped below
  }
  console.warn('boocode: ignoring a malformed message on an agent socket');
  return undefined;
}

function sameOriginSocketUrl(path: string): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${path}`;
}
