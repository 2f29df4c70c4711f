import type { Chat, ChatEvent, Message } from '@boocode/protocol';
import { foldEvents } from './fold-events.ts';

/** One chat as the stream holds it: its snapshot, with the events since folded in. */
export interface LoadedChat {
  chatId: string;
  chat: Chat;
  messages: Message[];
  snapshotRunning: boolean;
  /** Older messages exist on the server, not loaded yet. */
  hasMore: boolean;
}

/**
 * An event to apply: not while a snapshot is being fetched (lastSeq -1: the subscribe after it
 * replays them), and not one already applied (a replay overlapping what is held).
 */
export function isNewEvent(ev: ChatEvent, lastSeq: number): boolean {
  return lastSeq >= 0 && ev.seq > lastSeq;
}

/** The chat of a snapshot, unless a change to it came while the snapshot was loading. */
export function newerChat(fromSnapshot: Chat, seen: Chat | null): Chat {
  return seen && seen.updatedAt > fromSnapshot.updatedAt ? seen : fromSnapshot;
}

/** `prev` with the events folded in; left alone when it is another chat's. */
export function withEvents(
  prev: LoadedChat | null,
  chatId: string,
  events: ChatEvent[],
): LoadedChat | null {
  return prev?.chatId === chatId ? { ...prev, ...foldEvents(prev, events) } : prev;
}

/** `prev` with the chat itself (title, totals) replaced; left alone for another chat's. */
export function withChat(prev: LoadedChat | null, chat: Chat): LoadedChat | null {
  return prev?.chatId === chat.id ? { ...prev, chat } : prev;
}

/**
 * `prev` with a page of older messages put before its oldest, `oldest` the position that page
 * was asked before. Left alone if the chat or its oldest message changed meanwhile; messages
 * already held are not added twice.
 */
export function withOlder(
  prev: LoadedChat | null,
  chatId: string,
  oldest: number,
  page: { messages: Message[]; hasMore: boolean },
): LoadedChat | null {
  if (prev?.chatId !== chatId || prev.messages[0]?.position !== oldest) return prev;
  const held = new Set(prev.messages.map((m) => m.id));
  const older = page.messages.filter((m) => !held.has(m.id) && m.position < oldest);
  return { ...prev, messages: [...older, ...prev.messages], hasMore: page.hasMore };
}
