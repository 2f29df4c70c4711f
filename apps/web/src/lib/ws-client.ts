import { Backoff, ServerFrame, type ClientFrame } from '@boocode/protocol';

export type WsStatus = 'connecting' | 'open' | 'closed';
type FrameListener = (frame: ServerFrame) => void;

const RECONNECT = { initialMs: 250, maxMs: 5000 };

interface Watch {
  chatId: string;
  afterSeq: () => number;
}

/**
 * The app's one socket to /api/ws. It reconnects with backoff and, on every open, subscribes
 * again to each watched chat from the seq the page last applied, so a drop loses nothing.
 */
export class WsClient {
  private socket: WebSocket | null = null;
  private status: WsStatus = 'closed';
  private everOpened = false;
  private failures = 0;
  private readonly backoff = new Backoff(RECONNECT);
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private readonly frameListeners = new Set<FrameListener>();
  private readonly statusListeners = new Set<() => void>();
  private readonly openListeners = new Set<() => void>();
  private readonly watches = new Map<string, Set<Watch>>();

  constructor(private readonly url: () => string) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.running = false;
    window.removeEventListener('online', this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    s?.close();
    this.setStatus('closed');
  }

  getStatus = (): WsStatus => this.status;

  /** True once the socket has been lost (or never came up): what the indicator shows. */
  isDown = (): boolean => this.status !== 'open' && (this.everOpened || this.failures > 0);

  onStatus = (listener: () => void): (() => void) => subscribe(this.statusListeners, listener);

  /** Every parsed frame; a throwing listener never stops the others. */
  onFrame(listener: FrameListener): () => void {
    return subscribe(this.frameListeners, listener);
  }

  /** Called after each (re)open, once subscriptions are re-sent. */
  onOpen(listener: () => void): () => void {
    return subscribe(this.openListeners, listener);
  }

  /**
   * Subscribes to a chat now (if open) and after every reconnect, from `afterSeq()`. Several
   * watchers of one chat (two panes showing it) share one subscription, from the lowest seq any
   * of them needs (each drops what it already has); it ends with the last one's idempotent stop.
   */
  watch(chatId: string, afterSeq: () => number): () => void {
    const w: Watch = { chatId, afterSeq };
    const set = this.watches.get(chatId) ?? new Set<Watch>();
    set.add(w);
    this.watches.set(chatId, set);
    this.send({ type: 'chat.subscribe', chatId, afterSeq: lowestSeq(set) });
    return () => {
      const current = this.watches.get(chatId);
      if (!current?.delete(w)) return;
      if (current.size > 0) return;
      this.watches.delete(chatId);
      this.send({ type: 'chat.unsubscribe', chatId });
    };
  }

  private send(frame: ClientFrame): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private connect(): void {
    if (!this.running) return;
    this.timer = null;
    this.setStatus('connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.backoff.reset();
      this.failures = 0;
      this.everOpened = true;
      for (const [chatId, set] of this.watches) {
        this.send({ type: 'chat.subscribe', chatId, afterSeq: lowestSeq(set) });
      }
      this.setStatus('open');
      for (const l of this.openListeners) safely(l);
    };
    socket.onmessage = (e: MessageEvent) => {
      if (this.socket !== socket || typeof e.data !== 'string') return;
      const frame = parseFrame(e.data);
      if (!frame) return;
      for (const l of this.frameListeners) safely(() => l(frame));
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failures++;
      this.setStatus('closed');
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(() => this.connect(), this.backoff.next());
  }

  private readonly reconnectNow = (): void => {
    if (!this.running || this.socket) return;
    if (this.timer) clearTimeout(this.timer);
    this.backoff.reset();
    this.connect();
  };

  private setStatus(status: WsStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const l of this.statusListeners) safely(l);
  }
}

function parseFrame(data: string): ServerFrame | null {
  try {
    const parsed = ServerFrame.safeParse(JSON.parse(data));
    if (parsed.success) return parsed.data;
    console.warn('boocode: ignoring a malformed frame', parsed.error.issues);
  } catch {
    console.warn('boocode: ignoring a non-JSON frame');
  }
  return null;
}

function lowestSeq(watches: Set<Watch>): number {
  return Math.min(...[...watches].map((w) => w.afterSeq()));
}

function subscribe<T>(set: Set<T>, item: T): () => void {
  set.add(item);
  return () => {
    set.delete(item);
  };
}

function safely(f: () => void): void {
  try {
    f();
  } catch (err) {
    console.error(err);
  }
}

function socketUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/api/ws`;
}

/** The app's one WebSocket client (started once the user is signed in). */
export const wsClient = new WsClient(socketUrl);
