import { useCallback, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { ConnectionStatus } from './components/connection-status.tsx';
import { Toaster } from './components/toaster.tsx';
import { AuthGate } from './features/auth/auth-gate.tsx';
import { ChatView } from './features/chat/chat-view.tsx';
import { COMPOSER_ID } from './features/chat/composer.tsx';
import { SEARCH_ID, Sidebar } from './features/chat/sidebar.tsx';
import { useChatStream } from './features/chat/use-chat-stream.ts';
import { useLiveUpdates } from './features/chat/use-live-updates.ts';
import { useShortcuts } from './features/chat/use-shortcuts.ts';
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
  const { stream, setChat } = useChatStream(chatId);
  const [sidebarOpen, setSidebarOpen] = useState(() => window.matchMedia(WIDE).matches);
  useLiveUpdates(chatId);

  const closeIfNarrow = useCallback(() => {
    if (!window.matchMedia(WIDE).matches) setSidebarOpen(false);
  }, []);

  const newChat = useCallback(() => {
    navigate('/');
    closeIfNarrow();
    // The composer stays mounted across routes, so it can take the focus right away.
    document.getElementById(COMPOSER_ID)?.focus();
  }, [closeIfNarrow]);
  const search = useCallback(() => {
    // The search box lives in the sidebar, which may be folded away: show it first, in this
    // same keystroke, so the next keys land in the box.
    flushSync(() => setSidebarOpen(true));
    document.getElementById(SEARCH_ID)?.focus();
  }, []);
  useShortcuts({ onNewChat: newChat, onSearch: search });

  useEffect(() => {
    const title = stream.status === 'ready' ? stream.chat.title : null;
    document.title = title ? `${title} · boocode` : 'boocode';
  }, [stream]);

  return (
    <div className="flex h-full overflow-hidden">
      <Sidebar
        currentChatId={chatId}
        open={sidebarOpen}
        onNewChat={newChat}
        onOpened={closeIfNarrow}
        onRenamed={setChat}
      />
      {sidebarOpen ? (
        <div
          aria-hidden="true"
          className="fixed inset-x-0 top-12 bottom-0 z-20 bg-black/50 md:hidden"
          onClick={() => setSidebarOpen(false)}
        />
      ) : null}
      <ChatView
        chatId={chatId}
        stream={stream}
        setChat={setChat}
        sidebarOpen={sidebarOpen}
        onToggleSidebar={() => setSidebarOpen((open) => !open)}
        onNewChat={newChat}
      />
      <ConnectionStatus />
    </div>
  );
}
