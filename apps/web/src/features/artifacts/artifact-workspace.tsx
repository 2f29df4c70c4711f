import {
  useCallback,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';
import type { Message } from '@boocode/protocol';
import { Group, Panel, useDefaultLayout } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';
import { COMPOSER_ATTR } from '../chat/composer.tsx';
import { latestPage, sameArtifact, type Artifact } from './artifact.ts';
import { ArtifactOpenerContext } from './artifact-context.ts';
import { ArtifactPane } from './artifact-pane.tsx';

/** Narrower than this, the pane covers the chat instead of sharing the width with it. */
const SPLIT_MIN_PX = 720;

interface Shown {
  artifact: Artifact;
  /** Changes with each artifact shown, so the pane starts over (on its preview) for a new one. */
  key: number;
  /** Non-zero when the reader asked for it: the pane takes the focus (again). */
  focusRequest: number;
  /** A newer page from a reply since, offered rather than swapped in under the reader. */
  newer: Artifact | null;
}

interface Props {
  chatId: string | null;
  /** The open chat's messages, to follow the replies that finish; null while none are loaded. */
  messages: readonly Message[] | null;
  children: ReactNode;
}

/**
 * The chat with its artifact pane: side by side and resizable, or the pane over the chat where
 * there is no room for both. Code blocks below open artifacts through the context. While the
 * pane is open, a reply that finishes with an HTML page offers that page (the pane says a newer
 * version is in the chat): it never swaps what the reader looks at by itself, nor opens.
 */
export function ArtifactWorkspace({ chatId, messages, children }: Props) {
  const [shown, setShown] = useState<Shown | null>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const container = useRef<HTMLDivElement>(null);
  const width = useWidth(container);
  const narrow = width !== null && width < SPLIT_MIN_PX;

  // Another chat: its artifacts are not this one's.
  const [shownIn, setShownIn] = useState(chatId);
  if (shownIn !== chatId) {
    setShownIn(chatId);
    setShown(null);
  }

  // Watch for the newest reply to finish (however fast: it may never be seen streaming). What was already finished when the chat loaded is not news.
  const [settled, setSettled] = useState<{ chatId: string | null; id: string | null } | null>(null);
  const [seen, setSeen] = useState(messages);
  if (messages !== seen) {
    setSeen(messages);
    const last = messages?.at(-1);
    const done = last?.role === 'assistant' && last.status !== 'streaming' ? last : null;
    if (messages && settled?.chatId !== chatId) {
      setSettled({ chatId, id: done?.id ?? null });
    } else if (done && done.id !== settled?.id) {
      setSettled({ chatId, id: done.id });
      const page = latestPage(textOf(done));
      if (shown && page && !sameArtifact(shown.artifact, page)) {
        setShown({ ...shown, newer: page });
      }
    }
  }

  const open = useCallback((artifact: Artifact) => {
    returnFocus.current =
      document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setShown((prev) =>
      prev && sameArtifact(prev.artifact, artifact)
        ? { ...prev, focusRequest: prev.focusRequest + 1 }
        : { artifact, key: (prev?.key ?? 0) + 1, focusRequest: 1, newer: null },
    );
  }, []);

  const showNewer = useCallback(() => {
    setShown((prev) =>
      prev?.newer
        ? { artifact: prev.newer, key: prev.key + 1, focusRequest: 1, newer: null }
        : prev,
    );
  }, []);

  const close = useCallback(() => {
    const hadFocus = !!document.activeElement?.closest('[data-artifact-pane]');
    setShown(null);
    if (!hadFocus) return;
    // Back to where the reader opened it from, if that is still on screen.
    const back = returnFocus.current;
    if (back?.isConnected) back.focus();
    else container.current?.querySelector<HTMLElement>(`[${COMPOSER_ATTR}]`)?.focus();
  }, []);

  const split = shown !== null && !narrow;
  // Panel ids are element ids too: one set per chat pane.
  const uid = useId();
  const ids = { chat: `chat${uid}`, artifact: `artifact${uid}` };
  const layout = useDefaultLayout({
    id: 'boocode-artifact-split',
    panelIds: split ? [ids.chat, ids.artifact] : [ids.chat],
    storage: localStorage,
    onlySaveAfterUserInteractions: true,
  });

  const pane = shown ? (
    <div data-artifact-pane className="h-full">
      <ArtifactPane
        key={shown.key}
        artifact={shown.artifact}
        onClose={close}
        focusRequest={shown.focusRequest}
        onShowNewer={shown.newer ? showNewer : null}
      />
    </div>
  ) : null;

  return (
    <ArtifactOpenerContext value={open}>
      <div
        ref={container}
        // While the divider is dragged the pointer crosses the frame, which would swallow it.
        className="relative flex min-h-0 flex-1 [&:has([data-separator=active])_iframe]:pointer-events-none"
      >
        <Group
          orientation="horizontal"
          className="min-h-0 flex-1"
          defaultLayout={layout.defaultLayout}
          onLayoutChanged={layout.onLayoutChanged}
        >
          <Panel id={ids.chat} minSize={320}>
            <div className="flex h-full min-w-0 flex-col">{children}</div>
          </Panel>
          {split ? (
            <>
              <SplitHandle orientation="horizontal" aria-label="Resize artifact pane" />
              <Panel id={ids.artifact} minSize={320} defaultSize="50%">
                {pane}
              </Panel>
            </>
          ) : null}
        </Group>
        {shown && narrow ? <div className="absolute inset-0 z-10">{pane}</div> : null}
      </div>
    </ArtifactOpenerContext>
  );
}

function textOf(message: Message): string {
  return message.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('\n\n');
}

/** The element's width, kept current; null before it is first measured. */
function useWidth(ref: RefObject<HTMLElement | null>): number | null {
  const [width, setWidth] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry) setWidth(entry.contentRect.width);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}
