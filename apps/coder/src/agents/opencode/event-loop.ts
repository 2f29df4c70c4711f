import type { AgentEvent } from '@boocode/protocol';
import type { OpencodeServer } from './servers.ts';
import type { SessionMapper } from './session-mapper.ts';
import {
  eventSession,
  MessageList,
  OpencodeEvent,
  PermissionList,
  StatusMap,
  type ErrorInfo,
  type MessageInfo,
  type PermissionAsked,
} from './wire.ts';

/** What the loop of one session reports to its backend. */
export interface LoopHooks {
  emit(events: AgentEvent[]): void;
  permission(ask: PermissionAsked): void;
  /** The session is working on a prompt. */
  busy(): void;
  /** The session went idle (live), or a re-read found it idle with these messages. */
  idle(messages: MessageInfo[] | null): void;
  error(error: ErrorInfo | undefined): void;
}

const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 1_000;

/**
 * The one event stream of one opencode session: `GET /event` scoped to the session's directory,
 * owned through its own AbortController. Other sessions' events are dropped. A dropped stream is
 * opened again, and the session's state read back (messages, pending permissions, status) before
 * its live events go on, so nothing is missed or doubled. `stop` ends it; so does the server's
 * death. `live` holds every loop that has not ended.
 */
export class SessionLoop {
  private readonly abort = new AbortController();
  /** Resolves once the first stream is connected; rejects when the loop ends before. */
  readonly connected: Promise<void>;
  readonly ended: Promise<void>;
  private markConnected!: () => void;
  private everConnected = false;
  private failConnect!: (err: Error) => void;

  constructor(
    private readonly server: OpencodeServer,
    private readonly directory: string,
    private readonly mapper: SessionMapper,
    private readonly hooks: LoopHooks,
    private readonly live: Set<SessionLoop>,
    /** How long a connected stream may stay silent before it is dropped and opened again, ms. */
    private readonly silenceMs: number,
  ) {
    this.connected = new Promise<void>((resolve, reject) => {
      this.markConnected = resolve;
      this.failConnect = reject;
    });
    // Callers that never await it (a loop stopped at once) must not see an unhandled rejection.
    this.connected.catch(() => {});
    live.add(this);
    this.ended = this.run().finally(() => live.delete(this));
  }

  get sessionId(): string {
    return this.mapper.sessionId;
  }

  /** Ends the loop (its stream is aborted) and resolves once it has. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.ended;
  }

  private get over(): boolean {
    return this.abort.signal.aborted || this.server.dead !== null;
  }

  private async run(): Promise<void> {
    let delay = RETRY_FIRST_MS;
    let lastError: unknown = null;
    while (!this.over) {
      try {
        if (await this.stream((err) => (lastError = err))) delay = RETRY_FIRST_MS;
      } catch (err) {
        lastError = err;
      }
      if (!this.over) await this.pause(delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
    const why = this.server.dead ?? `the event stream closed: ${String(lastError ?? 'stopped')}`;
    this.failConnect(new Error(why));
  }

  /**
   * One connection, until it drops, goes silent or the loop stops; true when it connected. A
   * reconnect reads back what the drop missed before the live events go on.
   */
  private async stream(onError: (err: unknown) => void): Promise<boolean> {
    const conn = new AbortController();
    const cut = () => conn.abort();
    this.abort.signal.addEventListener('abort', cut, { once: true });
    let watchdog: NodeJS.Timeout | undefined;
    // opencode sends a heartbeat every 10 s: a longer silence is a connection that hangs.
    const feed = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(cut, this.silenceMs);
    };
    try {
      feed();
      const sub = await this.server.client.event.subscribe(
        { directory: this.directory },
        {
          signal: conn.signal,
          // One attempt per call: a drop ends the stream, and this loop reconnects and
          // reconciles (the SDK's own retry would resume without telling).
          sseMaxRetryAttempts: 1,
          onSseError: onError,
        },
      );
      const it = (sub.stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
      const head = await it.next();
      if (head.done || conn.signal.aborted) return false;
      clearTimeout(watchdog);
      if (this.everConnected) await this.reconcile();
      this.everConnected = true;
      this.markConnected();
      this.handle(head.value);
      for (;;) {
        feed();
        const r = await it.next();
        if (r.done) return true;
        this.handle(r.value);
      }
    } finally {
      clearTimeout(watchdog);
      this.abort.signal.removeEventListener('abort', cut);
    }
  }

  /** Waits before the next attempt; a stop or the server's death cuts it short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
      void this.server.died.then(done);
    });
  }

  private handle(raw: unknown): void {
    if (this.abort.signal.aborted) return;
    const parsed = OpencodeEvent.safeParse(raw);
    if (!parsed.success) return;
    const event = parsed.data;
    if (eventSession(event) !== this.sessionId) return;
    switch (event.type) {
      case 'permission.asked':
        return this.hooks.permission(event.properties);
      case 'session.idle':
        return this.hooks.idle(null);
      case 'session.status':
        if (event.properties.status.type === 'idle') this.hooks.idle(null);
        else if (event.properties.status.type === 'busy') this.hooks.busy();
        return;
      case 'session.error':
        return this.hooks.error(event.properties.error);
      default: {
        const events = this.mapper.event(event);
        if (events.length > 0) this.hooks.emit(events);
      }
    }
  }

  /** After a reconnect: what the dropped stream missed, read back from the server. */
  private async reconcile(): Promise<void> {
    const { client } = this.server;
    const query = { sessionID: this.sessionId, directory: this.directory };
    const [messages, permissions, status] = await Promise.all([
      client.session.messages(query, { throwOnError: true }),
      client.permission.list({ directory: this.directory }, { throwOnError: true }),
      client.session.status({ directory: this.directory }, { throwOnError: true }),
    ]);
    if (this.abort.signal.aborted) return;
    const events = this.mapper.reread(messages.data);
    if (events.length > 0) this.hooks.emit(events);
    for (const ask of PermissionList.parse(permissions.data)) {
      if (ask.sessionID === this.sessionId) this.hooks.permission(ask);
    }
    const mine = StatusMap.parse(status.data)[this.sessionId];
    if (!mine || mine.type === 'idle') {
      this.hooks.idle(MessageList.parse(messages.data).map((m) => m.info));
    }
  }
}
