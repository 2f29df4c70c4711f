import { appendAgentEvents, type Sql } from '@boocode/db';
import type { AgentEvent } from '@boocode/protocol';
import type { AgentBus } from './agent-bus.ts';

/** How long a token stream gathers in memory before it is written as one event. */
export const DELTA_FLUSH_MS = 50;

type Delta = Extract<AgentEvent, { type: 'message.delta' | 'reasoning.delta' }>;
const isDelta = (e: AgentEvent): e is Delta =>
  e.type === 'message.delta' || e.type === 'reasoning.delta';

/**
 * The writer of one session's events: in order, one write at a time, each event with the next
 * seq, published on the bus once persisted. Consecutive deltas of one kind are joined in memory
 * and written every DELTA_FLUSH_MS or before any other event, so a token stream is not one
 * INSERT per token.
 */
export class EventLog {
  private queued: AgentEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: Sql,
    private readonly bus: AgentBus,
    private readonly sessionId: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  emit(event: AgentEvent): void {
    const last = this.queued.at(-1);
    if (isDelta(event) && last?.type === event.type) {
      this.queued[this.queued.length - 1] = { ...last, text: last.text + event.text };
    } else {
      this.queued.push(event);
    }
    if (!isDelta(event)) {
      void this.flush();
    } else {
      this.timer ??= setTimeout(() => void this.flush(), DELTA_FLUSH_MS);
    }
  }

  /** Writes what is queued; resolves when every event emitted so far is persisted. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queued;
    this.queued = [];
    if (batch.length > 0) {
      this.chain = this.chain
        .then(() => appendAgentEvents(this.sql, this.sessionId, batch))
        .then((frames) => this.bus.frames(frames))
        .catch(this.onError);
    }
    return this.chain;
  }
}
