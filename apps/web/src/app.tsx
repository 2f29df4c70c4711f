import { useCallback, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { PaneState } from '@boocode/protocol';
import { ConnectionStatus } from './components/connection-status.tsx';
import { Toaster } from './components/toaster.tsx';
import { AuthGate } from './features/auth/auth-gate.tsx';
import { SEARCH_ID, Sidebar } from './features/chat/sidebar.tsx';
import { useLiveUpdates } from './features/chat/use-live-updates.ts';
import { useShortcuts } from './features/chat/use-shortcuts.ts';
import { useWorkspace } from './features/workspace/use-workspace.ts';
import { WorkspaceSidebar } from './features/workspace/workspace-sidebar.tsx';
import { WorkspaceView } from './features/workspace/workspace-view.tsx';
import { navigate, useRoute } from './lib/router.ts';

const WIDE = '(min-width: 768px)';

export function App() {
  return (
    <>
      <AuthGate>
        <Workspace />
      </AuthGate>
      <Toaster />
    </>
  );
}

function Workspace() {
  const route = useRoute();
  const chatId = route.name === 'chat' ? route.chatId : null;
  const [sidebarOpen, setSidebarOpen] = useState(() => window.matchMedia(WIDE).matches);
  // A window made narrow folds the sidebar away, since it would cover the panes there; made
  // wide again, the sidebar comes back beside them.
  useEffect(() => {
    const wide = window.matchMedia(WIDE);
    const follow = () => setSidebarOpen(wide.matches);
    wide.addEventListener('change', follow);
    return () => wide.removeEventListener('change', follow);
  }, []);
  useLiveUpdates(chatId);

  const closeIfNarrow = useCallback(() => {
    if (!window.matchMedia(WIDE).matches) setSidebarOpen(false);
  }, []);
  const toggleSidebar = useCallback(() => setSidebarOpen((open) => !open), []);
  const model = useWorkspace({ routeChatId: chatId, sidebarOpen, toggleSidebar });
  const { newUrlChat, showUrlChat, open: openPane } = model.controls;
  // A terminal or coder opened from the sidebar is shown: on a narrow screen the sidebar covers it.
  const openFromSidebar = useCallback(
    (state: PaneState) => {
      openPane(state);
      closeIfNarrow();
    },
    [openPane, closeIfNarrow],
  );

  // A chat opened from the list is shown, even the one already in the address bar.
  const chatOpened = useCallback(() => {
    showUrlChat();
    closeIfNarrow();
  }, [showUrlChat, closeIfNarrow]);

  const newChat = useCallback(() => {
    navigate('/');
    closeIfNarrow();
    // The chat pane stays mounted across routes, so its box can take the focus right away.
    newUrlChat();
  }, [closeIfNarrow, newUrlChat]);
  const search = useCallback(() => {
    // The search box lives in the sidebar, which may be folded away: show it first, in this
    // same keystroke, so the next keys land in the box.
    flushSync(() => setSidebarOpen(true));
    document.getElementById(SEARCH_ID)?.focus();
  }, []);
  useShortcuts({ onNewChat: newChat, onSearch: search });

  return (
    <div className="flex h-full overflow-hidden">
      <Sidebar
        currentChatId={chatId}
        open={sidebarOpen}
        onNewChat={newChat}
        onOpened={chatOpened}
        onRenamed={model.chatRenamed}
      >
        <WorkspaceSidebar open={openFromSidebar} />
      </Sidebar>
      {sidebarOpen ? (
        <div
          aria-hidden="true"
          className="fixed inset-x-0 top-12 bottom-0 z-20 bg-black/50 md:hidden"
          onClick={() => setSidebarOpen(false)}
        />
      ) : null}
      <WorkspaceView model={model} />
      <ConnectionStatus />
    </div>
  );
}
