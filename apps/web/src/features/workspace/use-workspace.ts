import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import {
  panesOf,
  type Chat,
  type Orientation,
  type PaneState,
  type Workspace,
} from '@boocode/protocol';
import { errorMessage } from '../../lib/api.ts';
import { navigate } from '../../lib/router.ts';
import { toastError } from '../../lib/toast.ts';
import {
  closePane,
  findPane,
  newPane,
  openPane,
  resizeSplit,
  splitPane,
  updatePane,
  urlPane,
} from './layout-tree.ts';
import type { WorkspaceControls } from './pane-chrome.tsx';
import { roomiest, visiblePanes } from './pane-geometry.ts';
import { paneKind } from './pane-registry.tsx';
import { useSavedWorkspace } from './use-saved-workspace.ts';

export interface WorkspaceModel {
  workspace: Workspace | null;
  controls: WorkspaceControls;
  activeId: string | null;
  setActiveId: (paneId: string) => void;
  updatePaneState: (paneId: string, state: PaneState) => void;
  resize: (splitId: string, sizes: number[]) => void;
  /** Moves the focus into a pane (its kind's focus target, else the pane itself). */
  focusPane: (paneId: string) => void;
  /** Tells every pane showing this chat that it was renamed (in the sidebar). */
  chatRenamed: (chat: Chat) => void;
}

const FOLLOW_URL: PaneState = { kind: 'chat', chatId: null, followsUrl: true };

/**
 * The workspace and everything that changes it. The chat in the address bar always has a
 * pane: opening one (a link, New chat) when none follows the address makes it, beside the
 * active pane.
 */
export function useWorkspace({
  routeChatId,
  sidebarOpen,
  toggleSidebar,
}: {
  routeChatId: string | null;
  sidebarOpen: boolean;
  toggleSidebar: () => void;
}): WorkspaceModel {
  const { workspace, setWorkspace } = useSavedWorkspace();
  const [activeId, setActiveId] = useState<string | null>(null);
  const activeRef = useRef(activeId);
  const workspaceRef = useRef(workspace);
  useLayoutEffect(() => {
    activeRef.current = activeId;
    workspaceRef.current = workspace;
  });
  const renamedListeners = useRef(new Set<(chat: Chat) => void>());

  /**
   * Puts the address-bar chat on screen: its pane (made if missing), not hidden by another.
   * Returns that pane's id.
   */
  const showUrlPane = useCallback((): string => {
    const added = newPane(FOLLOW_URL);
    const id = urlPane(workspaceRef.current?.layout ?? null)?.id ?? added.id;
    setWorkspace((w) => {
      const existing = urlPane(w.layout);
      if (existing) {
        return w.maximized && w.maximized !== existing.id ? { ...w, maximized: null } : w;
      }
      return openPane(w, added, activeRef.current);
    });
    return id;
  }, [setWorkspace]);

  // A chat opened by its address (a link in the list, back/forward) needs its pane, which
  // becomes the active one (on a narrow screen, the one shown). Not at load: the pane active
  // before a reload stays so.
  const loaded = workspace !== null;
  const shownRoute = useRef(routeChatId);
  useEffect(() => {
    if (!loaded || !routeChatId) return;
    const id = showUrlPane();
    if (shownRoute.current !== routeChatId) setActiveId(id);
    shownRoute.current = routeChatId;
  }, [loaded, routeChatId, showUrlPane]);

  /** Makes the pane active (so shown, on a narrow screen) and gives it the focus. */
  const focusPane = useCallback((paneId: string) => {
    flushSync(() => setActiveId(paneId));
    const section = document.querySelector<HTMLElement>(`[data-pane-id="${CSS.escape(paneId)}"]`);
    if (!section) return;
    const kind = section.dataset.paneKind;
    const selector = kind ? paneKindSelector(kind) : undefined;
    const target = selector ? section.querySelector<HTMLElement>(selector) : null;
    (target ?? section).focus();
  }, []);

  // The active pane is kept per tab: after a reload it is active again and has the focus, so
  // keys typed into a terminal go on going there. A new tab starts on the address's chat, or
  // the first pane, without taking the focus. Not when the reader already clicked.
  useEffect(() => {
    if (activeId) sessionStorage.setItem(ACTIVE_KEY, activeId);
  }, [activeId]);
  useEffect(() => {
    if (!loaded) return;
    const frame = requestAnimationFrame(() => {
      const layout = workspaceRef.current?.layout ?? null;
      const kept = findPane(layout, sessionStorage.getItem(ACTIVE_KEY) ?? '');
      const first = kept ?? ((routeChatId && urlPane(layout)) || panesOf(layout)[0]);
      if (!first || activeRef.current) return;
      setActiveId(first.id);
      if (kept && document.activeElement === document.body) focusPane(first.id);
    });
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the layout arrives
  }, [loaded]);

  const split = useCallback(
    async (paneId: string, orientation: Orientation) => {
      const pane = workspace && findPane(workspace.layout, paneId);
      if (!pane) return;
      let state: PaneState;
      try {
        state = await paneKind(pane.pane).splitFrom(pane.pane);
      } catch (err) {
        toastError(errorMessage(err));
        return;
      }
      const added = newPane(state);
      flushSync(() =>
        setWorkspace((w) => ({
          layout: w.layout ? splitPane(w.layout, paneId, orientation, added) : added,
          maximized: null,
        })),
      );
      setActiveId(added.id);
      focusPane(added.id);
    },
    [workspace, setWorkspace, focusPane],
  );

  const close = useCallback(
    (paneId: string) => {
      const panes = panesOf(workspace?.layout ?? null);
      const at = panes.findIndex((p) => p.id === paneId);
      const closing = panes[at];
      if (!closing) return;
      flushSync(() => setWorkspace((w) => closePane(w, paneId)));
      // The address no longer has a pane to show it.
      if (closing.pane.kind === 'chat' && closing.pane.followsUrl && routeChatId) {
        navigate('/', { replace: true });
      }
      const next = panes[at + 1] ?? panes[at - 1];
      if (next) {
        setActiveId(next.id);
        focusPane(next.id);
      }
    },
    [workspace, setWorkspace, routeChatId, focusPane],
  );

  const toggleMaximize = useCallback(
    (paneId: string) =>
      setWorkspace((w) => ({ ...w, maximized: w.maximized === paneId ? null : paneId })),
    [setWorkspace],
  );

  const open = useCallback(
    (state: PaneState) => {
      const kind = paneKind(state);
      const same = kind.identity?.(state);
      const existing =
        same === undefined
          ? undefined
          : panesOf(workspace?.layout ?? null).find(
              (p) => p.pane.kind === state.kind && kind.identity?.(p.pane) === same,
            );
      if (existing) {
        if (workspace?.maximized && workspace.maximized !== existing.id) {
          flushSync(() => setWorkspace((w) => ({ ...w, maximized: null })));
        }
        const reopen = kind.reopen;
        if (reopen) {
          setWorkspace((w) =>
            w.layout
              ? { ...w, layout: updatePane(w.layout, existing.id, (p) => reopen(p, state)) }
              : w,
          );
        }
        setActiveId(existing.id);
        focusPane(existing.id);
        return;
      }
      const added = newPane(state);
      const beside = roomiest(visiblePanes(document), activeRef.current);
      flushSync(() => setWorkspace((w) => openPane(w, added, beside.id, beside.orientation)));
      setActiveId(added.id);
      focusPane(added.id);
    },
    [workspace, setWorkspace, focusPane],
  );

  const showUrlChat = useCallback(() => flushSync(() => setActiveId(showUrlPane())), [showUrlPane]);

  const newUrlChat = useCallback(() => {
    flushSync(() => setActiveId(showUrlPane()));
    const section = document.querySelector<HTMLElement>('[data-follows-url]');
    section?.querySelector<HTMLElement>('textarea[aria-label="Message"]')?.focus();
  }, [showUrlPane]);

  const onChatRenamed = useCallback((listener: (chat: Chat) => void) => {
    renamedListeners.current.add(listener);
    return () => void renamedListeners.current.delete(listener);
  }, []);

  const controls = useMemo<WorkspaceControls>(
    () => ({
      split: (paneId, orientation) => void split(paneId, orientation),
      close,
      toggleMaximize,
      open,
      sidebarOpen,
      toggleSidebar,
      newUrlChat,
      showUrlChat,
      onChatRenamed,
    }),
    [
      split,
      close,
      toggleMaximize,
      open,
      sidebarOpen,
      toggleSidebar,
      newUrlChat,
      showUrlChat,
      onChatRenamed,
    ],
  );

  const updatePaneState = useCallback(
    (paneId: string, state: PaneState) =>
      setWorkspace((w) =>
        w.layout ? { ...w, layout: updatePane(w.layout, paneId, () => state) } : w,
      ),
    [setWorkspace],
  );

  const resize = useCallback(
    (splitId: string, sizes: number[]) =>
      setWorkspace((w) => (w.layout ? { ...w, layout: resizeSplit(w.layout, splitId, sizes) } : w)),
    [setWorkspace],
  );

  const chatRenamed = useCallback((chat: Chat) => {
    for (const l of renamedListeners.current) l(chat);
  }, []);

  return {
    workspace,
    chatRenamed,
    controls,
    activeId,
    setActiveId,
    updatePaneState,
    resize,
    focusPane,
  };
}

function paneKindSelector(kind: string): string | undefined {
  return paneKind({ kind } as PaneState).focusSelector;
}

const ACTIVE_KEY = 'boocode:active-pane';
