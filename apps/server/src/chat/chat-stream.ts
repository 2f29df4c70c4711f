import type { ChatEvent } from '@boocode/protocol';

/** A chat event before it is given its seq. */
export type ChatEventInput = ChatEvent extends infer E
  ? E extends ChatEvent
    ? Omit<E, 'seq' | 'chatId'>
    : never
  : never;

/**
 * The in-memory event log of one chat: assigns the per-chat `seq`, keeps the
 * events since `baseSeq` for replay, and fans them out to listeners.
 */
export class ChatStream {
  private log: ChatEvent[] = [];
  private baseSeq: number;
  private readonly listeners = new Set<(ev: ChatEvent) => void>();

  constructor(
    readonly chatId: string,
    private seqValue: number,
    private readonly onListenerError: (err: unknown) => void,
  ) {
    this.baseSeq = seqValue;
  }

  get seq(): number {
    return this.seqValue;
  }

  emit(input: ChatEventInput): ChatEvent {
    const ev = { ...input, chatId: this.chatId, seq: ++this.seqValue } as ChatEvent;
    this.log.push(ev);
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch (err) {
        this.onListenerError(err);
      }
    }
    return ev;
  }

  /** Events with seq in (afterSeq, seq], or null when the log no longer covers them. */
  eventsAfter(afterSeq: number): ChatEvent[] | null {
    if (afterSeq < this.baseSeq || afterSeq > this.seqValue) return null;
    return this.log.slice(afterSeq - this.baseSeq);
  }

  /**
   * Streams the live events to `listener`, if the caller has seen every event up
   * to now (`seenSeq === seq`); else null, and the caller replays what it missed
   * first. Both checks and the attach happen in one synchronous step: no gap.
   */
  follow(seenSeq: number, listener: (ev: ChatEvent) => void): (() => void) | null {
    if (seenSeq !== this.seqValue) return null;
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Drops the events up to `seq` (the database holds them); later ones stay for replay. */
  trimTo(seq: number): void {
    if (seq <= this.baseSeq) return;
    this.log = this.log.slice(seq - this.baseSeq);
    this.baseSeq = seq;
  }

  get idle(): boolean {
    return this.listeners.size === 0;
  }
}
