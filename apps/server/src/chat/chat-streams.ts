import type { FastifyBaseLogger } from 'fastify';
import { notFound } from '@boocode/protocol';
import { getChat, type Sql } from '@boocode/db';
import { ChatStream } from './chat-stream.ts';

/** How long the event log of a finished run stays in memory for late resumers. */
const LOG_GRACE_MS = 60_000;

/**
 * Each chat's event stream, made on first use from the chat's last seq, and its
 * log trimmed a grace period after a run ends (the database then has it all).
 */
export class ChatStreams {
  private readonly streams = new Map<string, Promise<ChatStream>>();
  private readonly trimTimers = new Map<string, NodeJS.Timeout>();

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

  /** A run starts: its chat's log stays whole. */
  keep(chatId: string): void {
    clearTimeout(this.trimTimers.get(chatId));
  }

  /**
   * A run ended: after the grace period, the log goes (and the stream, when no
   * one follows it), unless `running` says another run has begun.
   */
  trimLater(stream: ChatStream, running: () => boolean): void {
    const t = setTimeout(() => {
      this.trimTimers.delete(stream.chatId);
      if (running()) return;
      stream.trim();
      if (stream.idle) this.streams.delete(stream.chatId);
    }, LOG_GRACE_MS);
    t.unref();
    this.trimTimers.set(stream.chatId, t);
  }

  /** The chat is gone. */
  forget(chatId: string): void {
    this.streams.delete(chatId);
    clearTimeout(this.trimTimers.get(chatId));
    this.trimTimers.delete(chatId);
  }

  close(): void {
    for (const t of this.trimTimers.values()) clearTimeout(t);
  }
}
