import { useId, type ReactNode } from 'react';
import type { PaneChat } from '@boocode/protocol';
import { Button } from '@boocode/ui';
import { MessageSquare, X } from 'lucide-react';
import { Group, Panel } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';
import { ChatPaneView } from './chat-pane.tsx';

const CLOSED: PaneChat = { chatId: null, open: false };

/** The header button that shows or hides the chat a pane owns. */
export function PaneChatToggle({
  chat = CLOSED,
  onChange,
}: {
  chat?: PaneChat;
  onChange: (chat: PaneChat) => void;
}) {
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label="Pane chat"
      aria-pressed={chat.open}
      title={chat.open ? 'Hide this pane’s chat' : 'Show this pane’s chat'}
      onClick={() => onChange({ ...chat, open: !chat.open })}
      className={chat.open ? 'bg-accent text-foreground' : undefined}
    >
      <MessageSquare />
    </Button>
  );
}

/**
 * A pane's content with its own chat beside it when open (the terminal's or coder's chat).
 * The content stays in the same place in the tree whether the chat shows or not, so showing it
 * never remounts a terminal.
 */
export function PaneChatSide({
  chat = CLOSED,
  onChange,
  children,
}: {
  chat?: PaneChat;
  onChange: (chat: PaneChat) => void;
  children: ReactNode;
}) {
  const uid = useId(); // panel ids are element ids too: one set per pane
  return (
    <Group orientation="horizontal" className="min-h-0 flex-1">
      <Panel id={`content${uid}`} minSize={160} className="flex flex-col">
        {children}
      </Panel>
      {chat.open ? (
        <>
          <SplitHandle orientation="horizontal" />
          <Panel id={`chat${uid}`} defaultSize="45%" minSize={320} className="flex flex-col">
            <section aria-label="Pane chat" className="flex h-full min-w-0 flex-col">
              <ChatPaneView
                chatId={chat.chatId}
                followsUrl={false}
                onOpenChat={(chatId) => onChange({ ...chat, chatId })}
                onNewChat={() => onChange({ ...chat, chatId: null })}
                headerActions={
                  <Button
                    variant="ghost"
                    size="icon-sm"
                    aria-label="Close pane chat"
                    title="Hide this pane’s chat"
                    onClick={() => onChange({ ...chat, open: false })}
                  >
                    <X />
                  </Button>
                }
              />
            </section>
          </Panel>
        </>
      ) : null}
    </Group>
  );
}
