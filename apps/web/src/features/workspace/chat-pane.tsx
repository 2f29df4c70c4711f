import { useCallback, useEffect, type ReactNode } from 'react';
import type { ChatPaneState } from '@boocode/protocol';
import { chatPath, navigate, useRoute } from '../../lib/router.ts';
import { wsClient } from '../../lib/ws-client.ts';
import { ChatView } from '../chat/chat-view.tsx';
import { useChatStream } from '../chat/use-chat-stream.ts';
import { PaneActions, usePaneSlot, useWorkspaceControls } from './pane-chrome.tsx';
import type { PaneProps } from './pane-types.ts';

type ChatState = ChatPaneState;

/**
 * A chat pane. The one that follows the address shows /c/<id> and opens chats by navigating;
 * any other holds its own chat id in the layout. Each has its own stream.
 */
export function ChatPane({ state, update, setTitle }: PaneProps<ChatState>) {
  const route = useRoute();
  const routeChatId = route.name === 'chat' ? route.chatId : null;
  const chatId = state.followsUrl ? routeChatId : state.chatId;
  const { first } = usePaneSlot();
  const ws = useWorkspaceControls();

  const openChat = useCallback(
    (id: string | null) => {
      if (state.followsUrl) navigate(id ? chatPath(id) : '/');
      else update({ ...state, chatId: id });
    },
    [state, update],
  );

  return (
    <ChatPaneView
      chatId={chatId}
      followsUrl={state.followsUrl}
      onOpenChat={openChat}
      onNewChat={state.followsUrl ? ws.newUrlChat : () => openChat(null)}
      onToggleSidebar={first ? ws.toggleSidebar : undefined}
      setTitle={setTitle}
      headerActions={<PaneActions />}
    />
  );
}

interface ViewProps {
  chatId: string | null;
  followsUrl: boolean;
  onOpenChat: (chatId: string | null) => void;
  onNewChat: () => void;
  onToggleSidebar?: () => void;
  setTitle?: (title: string) => void;
  headerActions?: ReactNode;
}

/** ChatView with its own stream, for a chat pane or the chat a terminal or coder pane owns. */
export function ChatPaneView({
  chatId,
  followsUrl,
  onOpenChat,
  onNewChat,
  onToggleSidebar,
  setTitle,
  headerActions,
}: ViewProps) {
  const { stream, setChat } = useChatStream(chatId);
  const ws = useWorkspaceControls();
  useEffect(() => ws.onChatRenamed(setChat), [ws, setChat]);

  const title =
    stream.status === 'ready' ? stream.chat.title || 'Untitled' : chatId ? 'Chat' : 'New chat';
  useEffect(() => setTitle?.(title), [setTitle, title]);

  useEffect(() => {
    if (!followsUrl) return;
    const t = stream.status === 'ready' ? stream.chat.title : null;
    document.title = t ? `${t} · boocode` : 'boocode';
  }, [followsUrl, stream]);

  // The address-bar chat leaves for "/" when deleted (useLiveUpdates); a pane's own chat
  // goes back to a new one.
  useEffect(() => {
    if (followsUrl || !chatId) return;
    return wsClient.onFrame((f) => {
      if (f.type === 'chats.changed' && f.deletedId === chatId) onOpenChat(null);
    });
  }, [followsUrl, chatId, onOpenChat]);

  return (
    <ChatView
      chatId={chatId}
      stream={stream}
      setChat={setChat}
      sidebarOpen={ws.sidebarOpen}
      onToggleSidebar={onToggleSidebar}
      onNewChat={onNewChat}
      onOpenChat={onOpenChat}
      headerActions={headerActions}
    />
  );
}
