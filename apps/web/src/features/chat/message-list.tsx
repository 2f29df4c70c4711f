import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Message } from '@boocode/protocol';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button } from '@boocode/ui';
import { ArrowDown } from 'lucide-react';
import { MessageItem, type MessageActions } from './message-item.tsx';

/** How close to the end still counts as "at the bottom" (follow the stream). */
const STICK_PX = 80;

interface Props extends MessageActions {
  messages: Message[];
  /** Older messages exist on the server; `loadOlder` fetches the page before the first one. */
  hasMore: boolean;
  loadOlder: () => Promise<void>;
  running: boolean;
  editingId: string | null;
}

/** How close to the top starts loading the page before. */
const LOAD_OLDER_PX = 600;

/**
 * The messages, virtualized: only rows near the viewport are in the DOM, each measured as it
 * renders, so 10,000 messages scroll like ten. Follows the bottom while a reply streams unless
 * the reader scrolls up.
 */
export function MessageList({
  messages,
  hasMore,
  loadOlder,
  running,
  editingId,
  ...actions
}: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastId = useRef<string | null>(null);
  const [away, setAway] = useState(false);
  const [olderState, setOlderState] = useState<'idle' | 'loading' | 'failed'>('idle');
  const firstId = useRef<string | null>(null);
  const sizeBefore = useRef(0);

  const getItemKey = useCallback((i: number) => messages[i]?.id ?? i, [messages]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders us itself; nothing here is memoized around it
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 140,
    // A chat opens at its end: render the newest rows first, not the oldest and then scroll.
    initialOffset: () => messages.length * 140,
    overscan: 6,
    getItemKey,
    paddingStart: 16,
    paddingEnd: 24,
  });
  const totalSize = virtualizer.getTotalSize();

  // Older messages came in above: move the view down by what they added, so what the
  // reader was looking at stays put.
  useLayoutEffect(() => {
    const first = messages[0]?.id ?? null;
    const el = scrollRef.current;
    if (el && firstId.current !== null && first !== firstId.current && !stick.current) {
      el.scrollTop += totalSize - sizeBefore.current;
    }
    firstId.current = first;
    sizeBefore.current = totalSize;
  }, [messages, totalSize]);

  const fetchOlder = useCallback(() => {
    if (!hasMore || olderState === 'loading') return;
    setOlderState('loading');
    loadOlder().then(
      () => setOlderState('idle'),
      () => setOlderState('failed'),
    );
  }, [hasMore, olderState, loadOlder]);

  useLayoutEffect(() => {
    const last = messages.at(-1);
    // A message the reader just sent brings the view back to the end.
    if (last && lastId.current !== null && last.id !== lastId.current && last.role === 'user') {
      stick.current = true;
    }
    lastId.current = last?.id ?? null;
    const el = scrollRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages, totalSize]);

  useEffect(() => {
    const el = scrollRef.current;
    const content = contentRef.current;
    if (!el || !content) return;
    // Content that shrank (an edit, a regenerate) or a taller window can bring the end back
    // into view without any scroll event: follow again then. Never unsticks: only the reader does.
    const ro = new ResizeObserver(() => {
      if (el.scrollHeight - el.scrollTop - el.clientHeight >= STICK_PX) return;
      stick.current = true;
      setAway(false);
    });
    ro.observe(el);
    ro.observe(content);
    return () => ro.disconnect();
  }, []);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
    stick.current = atBottom;
    setAway(!atBottom);
    if (el.scrollTop < LOAD_OLDER_PX && olderState === 'idle') fetchOlder();
  };

  const jumpToLatest = () => {
    stick.current = true;
    setAway(false);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  let lastAssistant = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]?.role === 'assistant') {
      lastAssistant = i;
      break;
    }
  }

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        onScroll={onScroll}
        onWheel={(e) => {
          // Leave the bottom at the first wheel tick, before the next frame of tokens pulls us back.
          if (e.deltaY < 0) stick.current = false;
        }}
        className="h-full overflow-y-auto [overflow-anchor:none]"
      >
        {hasMore ? (
          <div className="flex justify-center pt-3">
            {olderState === 'loading' ? (
              <span className="text-muted-foreground text-xs">Loading earlier messages…</span>
            ) : (
              <Button variant="ghost" size="sm" onClick={fetchOlder}>
                {olderState === 'failed'
                  ? 'Could not load earlier messages: retry'
                  : 'Load earlier messages'}
              </Button>
            )}
          </div>
        ) : null}
        <div
          ref={contentRef}
          className="relative mx-auto w-full max-w-3xl"
          style={{ height: totalSize }}
        >
          {virtualizer.getVirtualItems().map((row) => {
            const message = messages[row.index];
            if (!message) return null;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="absolute top-0 left-0 w-full px-4 sm:px-6"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <MessageItem
                  message={message}
                  editing={message.id === editingId}
                  canRegenerate={!running && row.index === lastAssistant}
                  {...actions}
                />
              </div>
            );
          })}
        </div>
      </div>
      {away ? (
        <Button
          variant="secondary"
          size="sm"
          onClick={jumpToLatest}
          className="border-border absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full border shadow-lg shadow-black/40"
        >
          <ArrowDown />
          Jump to latest
        </Button>
      ) : null}
    </div>
  );
}
