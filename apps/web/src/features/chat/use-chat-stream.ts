import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Chat, ChatEvent, Message } from '@boocode/protocol';
import { ApiError } from '../../lib/api.ts';
import { wsClient } from '../../lib/ws-client.ts';
import { fetchOlder, fetchSnapshot } from './chat-api.ts';
import {
  isNewEvent,
  newerChat,
  withChat,
  withEvents,
  withOlder,
  type LoadedChat,
} from './chat-stream-state.ts';
import { asChatEvent, isRunning } from './fold-events.ts';

export type ChatStream =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | {
      status: 'ready';
      chat: Chat;
      messages: Message[];
      running: boolean;
      hasMore: boolean;
      /** Loads the page before the oldest message held; resolves when it is in. */
      loadOlder: () => Promise<void>;
    };

/**
 * The live view of one chat: a snapshot, then every event after its seq, each applied once.
 * Events are queued and folded in one state update per animation frame, so a fast stream costs
 * one render per frame rather than one per token.
 */
export function useChatStream(chatId: string | null): {
  stream: ChatStream;
  setChat: (chat: Chat) => void;
} {
  const [loaded, setLoaded] = useState<LoadedChat | null>(null);
  const [failure, setFailure] = useState<{ chatId: string; error: unknown } | null>(null);

  useEffect(() => {
    if (!chatId) return;
    let disposed = false;
    // -1 while a snapshot is being fetched: events are dropped then, and replayed by the
    // subscribe that follows the snapshot (afterSeq = its seq).
    let lastSeq = -1;
    let loadId = 0;
    let queue: ChatEvent[] = [];
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let unwatch: (() => void) | null = null;
    let retryOnOpen = false;
    // A change to the chat (title, totals) that came while its snapshot was loading.
    let seenChat: Chat | null = null;

    const cancelFlush = () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      frame = 0;
      timer = undefined;
    };
    const flush = () => {
      cancelFlush();
      const events = queue;
      queue = [];
      if (events.length === 0) return;
      setLoaded((prev) => withEvents(prev, chatId, events));
    };
    const scheduleFlush = () => {
      if (frame || timer) return;
      // Hidden tabs get no animation frames; a timer keeps the state current there.
      if (document.hidden) timer = setTimeout(flush, 200);
      else frame = requestAnimationFrame(flush);
    };

    const load = async () => {
      const id = ++loadId;
      lastSeq = -1;
      retryOnOpen = false;
      try {
        const snap = await fetchSnapshot(chatId);
        if (disposed || id !== loadId) return;
        queue = [];
        cancelFlush();
        lastSeq = snap.seq;
        const chat = newerChat(snap.chat, seenChat);
        seenChat = null;
        setLoaded({
          chatId,
          chat,
          messages: snap.messages,
          snapshotRunning: snap.running,
          hasMore: snap.hasMore,
        });
        setFailure(null);
        // A new watch sends a fresh subscribe from this seq; the previous one (a resync) is
        // dropped after, so the chat is never unsubscribed in between.
        const previous = unwatch;
        unwatch = wsClient.watch(chatId, () => lastSeq);
        previous?.();
      } catch (error) {
        if (disposed || id !== loadId) return;
        retryOnOpen = !(error instanceof ApiError && error.status >= 400 && error.status < 500);
        setFailure({ chatId, error });
      }
    };

    const offFrame = wsClient.onFrame((f) => {
      if (f.type === 'chat.resync') {
        if (f.chatId === chatId) void load();
        return;
      }
      if (f.type === 'chats.changed') {
        const chat = f.chat;
        if (chat?.id === chatId) {
          if (lastSeq < 0) seenChat = chat;
          setLoaded((prev) => withChat(prev, chat));
        }
        return;
      }
      const ev = asChatEvent(f);
      if (!ev || ev.chatId !== chatId || !isNewEvent(ev, lastSeq)) return;
      lastSeq = ev.seq;
      queue.push(ev);
      scheduleFlush();
    });
    // A snapshot that failed because the server was away is fetched again when it is back.
    const offOpen = wsClient.onOpen(() => {
      if (retryOnOpen) void load();
    });
    const onVisible = () => {
      if (!document.hidden && queue.length > 0) flush();
    };
    document.addEventListener('visibilitychange', onVisible);

    void load();
    return () => {
      disposed = true;
      offFrame();
      offOpen();
      document.removeEventListener('visibilitychange', onVisible);
      cancelFlush();
      unwatch?.();
    };
  }, [chatId]);

  const current = chatId && loaded?.chatId === chatId ? loaded : null;
  const failed = chatId && failure?.chatId === chatId ? failure : null;
  const messages = current?.messages;
  const snapshotRunning = current?.snapshotRunning ?? false;
  const running = useMemo(
    () => (messages ? isRunning(messages, snapshotRunning) : false),
    [messages, snapshotRunning],
  );

  const oldest = current?.messages[0]?.position;
  const loadOlder = useCallback(async () => {
    if (!chatId || oldest === undefined) return;
    const page = await fetchOlder(chatId, oldest);
    setLoaded((prev) => withOlder(prev, chatId, oldest, page));
  }, [chatId, oldest]);

  let stream: ChatStream;
  if (!chatId) stream = { status: 'idle' };
  else if (current) {
    stream = {
      status: 'ready',
      chat: current.chat,
      messages: current.messages,
      running,
      hasMore: current.hasMore,
      loadOlder,
    };
  } else if (failed) stream = { status: 'error', error: failed.error };
  else stream = { status: 'loading' };

  const setChat = (chat: Chat) => setLoaded((prev) => withChat(prev, chat));
  return { stream, setChat };
}
