import { describe, expect, it } from 'vitest';
import { applyChatEvent, ChatEvent, ClientFrame, type Message } from '../src/index.ts';

const chatId = '00000000-0000-4000-8000-000000000001';
const msg = (id: string, position: number, over: Partial<Message> = {}): Message => ({
  id,
  chatId,
  position,
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
const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('applyChatEvent', () => {
  it('inserts created messages by position and replaces one created twice', () => {
    let ms = applyChatEvent([], {
      type: 'chat.message.created',
      chatId,
      seq: 1,
      message: msg(B, 1),
    });
    ms = applyChatEvent(ms, { type: 'chat.message.created', chatId, seq: 2, message: msg(A, 0) });
    ms = applyChatEvent(ms, { type: 'chat.message.created', chatId, seq: 3, message: msg(A, 0) });
    expect(ms.map((m) => m.id)).toEqual([A, B]);
  });

  it('appends delta text to the indexed part, or opens the next part', () => {
    let ms = [msg(A, 0)];
    const delta = (seq: number, index: number, part: 'text' | 'reasoning', text: string) =>
      applyChatEvent(ms, { type: 'chat.part.delta', chatId, seq, messageId: A, index, part, text });
    ms = delta(1, 0, 'reasoning', 'thinking ');
    ms = delta(2, 0, 'reasoning', 'hard');
    ms = delta(3, 1, 'text', 'Hello');
    ms = delta(4, 1, 'text', ' world');
    expect(ms[0]!.parts).toEqual([
      { type: 'reasoning', text: 'thinking hard' },
      { type: 'text', text: 'Hello world' },
    ]);
  });

  it('does not change the list it was given', () => {
    const before = [msg(A, 0, { parts: [{ type: 'text', text: 'x' }] })];
    const frozen = JSON.stringify(before);
    applyChatEvent(before, {
      type: 'chat.part.delta',
      chatId,
      seq: 1,
      messageId: A,
      index: 0,
      part: 'text',
      text: 'y',
    });
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('finishes, updates and deletes messages', () => {
    let ms = [msg(A, 0, { role: 'user', status: 'complete' }), msg(B, 1)];
    ms = applyChatEvent(ms, {
      type: 'chat.message.finished',
      chatId,
      seq: 1,
      messageId: B,
      status: 'stopped',
      usage: { promptTokens: 1, completionTokens: 2 },
      calls: [{ promptTokens: 1, completionTokens: 2, costMicros: 7 }],
      costMicros: 7,
    });
    expect(ms[1]).toMatchObject({
      status: 'stopped',
      usage: { promptTokens: 1, completionTokens: 2 },
      calls: [{ promptTokens: 1, completionTokens: 2, costMicros: 7 }],
      costMicros: 7,
    });
    ms = applyChatEvent(ms, {
      type: 'chat.message.updated',
      chatId,
      seq: 2,
      message: msg(A, 0, { role: 'user', parts: [{ type: 'text', text: 'edited' }] }),
    });
    expect(ms[0]!.parts).toEqual([{ type: 'text', text: 'edited' }]);
    ms = applyChatEvent(ms, { type: 'chat.message.deleted', chatId, seq: 3, messageIds: [B] });
    expect(ms.map((m) => m.id)).toEqual([A]);
  });
});

describe('wire schemas', () => {
  it('refuse a frame of an unknown type or with a bad seq', () => {
    expect(ClientFrame.safeParse({ type: 'chat.subscribe', chatId, afterSeq: -1 }).success).toBe(
      false,
    );
    expect(ClientFrame.safeParse({ type: 'chat.nuke', chatId }).success).toBe(false);
    expect(
      ChatEvent.safeParse({ type: 'chat.message.deleted', chatId, seq: 0, messageIds: [] }).success,
    ).toBe(false);
  });
});
