import type { FastifyBaseLogger } from 'fastify';
import { notFound } from '@boocode/protocol';
import { getChat, type Sql } from '@boocode/db';
import { ChatStream } from './chat-stream.ts';

/** How long the event log of a finished run stays in memory for late resumers. */
const LOG_GRACE_MS = 60_000;

/**
 * Each chat's event stream, made on first use from the chat's last seq. The events of a run
 * are dropped from its log a grace period after the run ended (the database then has them
 * all), whether or not later runs have begun: a chat that replies back to back keeps about a
 * minute of events, not all of them.
 */
export class ChatStreams {
  private readonly streams = new Map<string, Promise<ChatStream>>();
  private readonly trimTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly deps: { sql: Sql; log: FastifyBaseLogger }) {}

  get(chatId: string): Promise<ChatStream> {
    let s = this.streams.get(chatId);
    if (!s) {
      s = getChat(this.deps.sql, chatId).then((chat) => {
        if (!chat) throw notFound('chat');
        return new ChatStream(chatId, chat.lastSeq, (err) =>
          this.deps.log.warn({ err }, 'chat listener failed'),
        );
      });
      s.catch(() => this.streams.delete(chatId));
      this.streams.set(chatId, s);
    }
    return s;
  }

  /**
   * A run ended: after the grace period, the log lets go of every event up to now. The stream
   * goes too when no one follows it, nothing came after, and `running` says no run has begun.
   */
  trimLater(stream: ChatStream, running: (chatId: string) => boolean): void {
    const upTo = stream.seq;
    const t = setTimeout(() => {
      this.trimTimers.delete(t);
      stream.trimTo(upTo);
      if (stream.idle && stream.seq === upTo && !running(stream.chatId)) void this.drop(stream);
    }, LOG_GRACE_MS);
    t.unref();
    this.trimTimers.add(t);
  }

  /** The chat is gone. */
  forget(chatId: string): void {
    this.streams.delete(chatId);
  }

  close(): void {
    for (const t of this.trimTimers) clearTimeout(t);
    this.trimTimers.clear();
  }

  /** Forgets `stream` if it is still the chat's (not one made again since). */
  private async drop(stream: ChatStream): Promise<void> {
    const current = this.streams.get(stream.chatId);
    if (current && (await current.catch(() => null)) === stream) this.streams.delete(stream.chatId);
  }
}
