import { describe, expect, it } from 'vitest';
import type { Chat, ChatEvent, Message } from '@boocode/protocol';
import {
  isNewEvent,
  newerChat,
  withChat,
  withEvents,
  withOlder,
  type LoadedChat,
} from '../../../src/features/chat/chat-stream-state.ts';

const chatId = '00000000-0000-4000-8000-000000000001';
const otherId = '00000000-0000-4000-8000-000000000002';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const chat = (over: Partial<Chat> = {}): Chat =>
  ({ id: chatId, title: 'Walrus facts', updatedAt: '2026-01-01T00:00:00.000Z', ...over }) as Chat;
const msg = (position: number): Message => ({
  id: id(100 + position),
  chatId,
  position,
  role: 'user',
  status: 'complete',
  parts: [],
  model: null,
  usage: null,
  calls: [],
  costMicros: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});
const loaded = (messages: Message[]): LoadedChat => ({
  chatId,
  chat: chat(),
  messages,
  snapshotRunning: false,
  hasMore: true,
});
const delta = (seq: number): ChatEvent => ({
  type: 'chat.part.delta',
  chatId,
  seq,
  messageId: id(105),
  index: 0,
  part: 'text',
  text: 'hi',
});

describe('isNewEvent', () => {
  it('drops every event while a snapshot is being fetched', () => {
    expect(isNewEvent(delta(5), -1)).toBe(false);
  });

  it('drops an event already applied and takes the next one', () => {
    expect(isNewEvent(delta(5), 5)).toBe(false);
    expect(isNewEvent(delta(6), 5)).toBe(true);
  });
});

describe('newerChat', () => {
  it('keeps a change that came while the snapshot loaded, if it is newer', () => {
    const renamed = chat({ title: 'Seabirds', updatedAt: '2026-01-02T00:00:00.000Z' });
    expect(newerChat(chat(), renamed)).toBe(renamed);
  });

  it('takes the snapshot’s chat over an older change or none', () => {
    const fromSnapshot = chat({ updatedAt: '2026-01-03T00:00:00.000Z' });
    expect(newerChat(fromSnapshot, chat())).toBe(fromSnapshot);
    expect(newerChat(fromSnapshot, null)).toBe(fromSnapshot);
  });
});

describe('withEvents', () => {
  it('folds events into the chat they belong to', () => {
    const prev = loaded([{ ...msg(5), role: 'assistant', status: 'streaming' }]);
    const next = withEvents(prev, chatId, [delta(1)]);
    expect(next?.messages[0]?.parts).toEqual([{ type: 'text', text: 'hi' }]);
  });

  it('leaves another chat’s state alone', () => {
    const prev = loaded([msg(5)]);
    expect(withEvents(prev, otherId, [delta(1)])).toBe(prev);
    expect(withEvents(null, chatId, [delta(1)])).toBeNull();
  });
});

describe('withChat', () => {
  it('replaces the chat of the same id only', () => {
    const prev = loaded([]);
    expect(withChat(prev, chat({ title: 'Seabirds' }))?.chat.title).toBe('Seabirds');
    expect(withChat(prev, chat({ id: otherId }))).toBe(prev);
  });
});

describe('withOlder', () => {
  it('puts the older page before the oldest message held', () => {
    const prev = loaded([msg(3), msg(4)]);
    const next = withOlder(prev, chatId, 3, { messages: [msg(1), msg(2)], hasMore: false });
    expect(next?.messages.map((m) => m.position)).toEqual([1, 2, 3, 4]);
    expect(next?.hasMore).toBe(false);
  });

  it('does not add a message twice nor one at or after the oldest held', () => {
    const prev = loaded([msg(3), msg(4)]);
    const next = withOlder(prev, chatId, 3, { messages: [msg(2), msg(3), msg(4)], hasMore: true });
    expect(next?.messages.map((m) => m.position)).toEqual([2, 3, 4]);
  });

  it('drops a page that no longer fits (the oldest message changed meanwhile)', () => {
    const prev = loaded([msg(2), msg(3)]);
    expect(withOlder(prev, chatId, 3, { messages: [msg(1)], hasMore: false })).toBe(prev);
  });
});
