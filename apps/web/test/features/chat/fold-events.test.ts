import { describe, expect, it } from 'vitest';
import type { ChatEvent, Message, ServerFrame } from '@boocode/protocol';
import {
  asChatEvent,
  coalesceDeltas,
  foldEvents,
  isRunning,
} from '../../../src/features/chat/fold-events.ts';

const chatId = '00000000-0000-4000-8000-000000000001';
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const msg = (id: string, over: Partial<Message> = {}): Message => ({
  id,
  chatId,
  position: 0,
  role: 'assistant',
  status: 'streaming',
  parts: [],
  model: null,
  usage: null,
  calls: [],
  costMicros: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const delta = (seq: number, text: string, over: Partial<ChatEvent> = {}): ChatEvent =>
  ({
    type: 'chat.part.delta',
    chatId,
    seq,
    messageId: A,
    index: 0,
    part: 'text',
    text,
    ...over,
  }) as ChatEvent;
const finished = (seq: number): ChatEvent => ({
  type: 'chat.message.finished',
  chatId,
  seq,
  messageId: A,
  status: 'complete',
  usage: null,
  calls: [],
  costMicros: null,
});

describe('asChatEvent', () => {
  it('passes chat events through and drops the frames about the socket or the list', () => {
    const ev = delta(1, 'hi');
    expect(asChatEvent(ev)).toBe(ev);
    expect(asChatEvent({ type: 'chat.resync', chatId })).toBeNull();
    const changed: ServerFrame = { type: 'chats.changed', chat: null, deletedId: null };
    expect(asChatEvent(changed)).toBeNull();
  });
});

describe('coalesceDeltas', () => {
  it('merges a run of deltas to the same part into one, with the last seq', () => {
    expect(coalesceDeltas([delta(1, 'a'), delta(2, 'b'), delta(3, 'c')])).toEqual([
      delta(3, 'abc'),
    ]);
  });

  it('keeps deltas to different parts or messages apart', () => {
    const events = [delta(1, 'a'), delta(2, 'b', { index: 1 }), delta(3, 'c', { messageId: B })];
    expect(coalesceDeltas(events)).toEqual(events);
  });

  it('does not merge across another event', () => {
    const events = [delta(1, 'a'), finished(2), delta(3, 'b')];
    expect(coalesceDeltas(events)).toEqual(events);
  });
});

describe('foldEvents', () => {
  it('folds deltas into the message text the same as one by one', () => {
    const start = { messages: [msg(A)], snapshotRunning: true };
    const folded = foldEvents(start, [delta(1, 'Hel'), delta(2, 'lo')]);
    expect(folded.messages[0]?.parts).toEqual([{ type: 'text', text: 'Hello' }]);
    expect(folded.snapshotRunning).toBe(true);
  });

  it('marks the snapshot’s running flag out of date once a reply finished', () => {
    const folded = foldEvents({ messages: [msg(A)], snapshotRunning: true }, [finished(1)]);
    expect(folded.snapshotRunning).toBe(false);
    expect(folded.messages[0]?.status).toBe('complete');
  });
});

describe('isRunning', () => {
  it('is true while the snapshot says so or a message streams', () => {
    expect(isRunning([], true)).toBe(true);
    expect(isRunning([msg(A, { status: 'complete' }), msg(B)], false)).toBe(true);
  });

  it('is false when every message is done', () => {
    expect(isRunning([msg(A, { status: 'complete' })], false)).toBe(false);
  });
});
