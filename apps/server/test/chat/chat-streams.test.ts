import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import type { Sql } from '@boocode/db';
import { ChatStream } from '../../src/chat/chat-stream.ts';
import { ChatStreams } from '../../src/chat/chat-streams.ts';

const delta = (text: string) =>
  ({ type: 'chat.part.delta', messageId: 'm', index: 0, part: 'text', text }) as const;

let streams: ChatStreams;
beforeEach(() => {
  vi.useFakeTimers();
  // Neither is reached: the streams under test are made here, not read from the database.
  streams = new ChatStreams({ sql: {} as Sql, log: {} as FastifyBaseLogger });
});
afterEach(() => {
  streams.close();
  vi.useRealTimers();
});

describe('ChatStreams', () => {
  it('lets go of a run’s events a minute after it ended, though the chat replies again at once', () => {
    const stream = new ChatStream('c', 0, () => {});
    stream.emit(delta('first run'));
    streams.trimLater(stream, () => true);
    const endOfFirst = stream.seq;
    stream.emit(delta('second run'));
    expect(stream.eventsAfter(0)).toHaveLength(2);

    vi.advanceTimersByTime(60_000);
    // A resumer from before the first run's end must read the database now.
    expect(stream.eventsAfter(0)).toBeNull();
    expect(stream.eventsAfter(endOfFirst)!.map((e) => e.seq)).toEqual([endOfFirst + 1]);
  });

  it('keeps a run’s events for a resumer during the grace minute', () => {
    const stream = new ChatStream('c', 5, () => {});
    stream.emit(delta('a'));
    stream.emit(delta('b'));
    streams.trimLater(stream, () => false);
    vi.advanceTimersByTime(59_000);
    expect(stream.eventsAfter(5)!.map((e) => e.seq)).toEqual([6, 7]);
  });
});
