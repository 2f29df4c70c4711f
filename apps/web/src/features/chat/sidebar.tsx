import { useMemo, useState, type ReactNode } from 'react';
import type { Chat } from '@boocode/protocol';
import { Alert, Button, Input, Kbd, Spinner, cn } from '@boocode/ui';
import { Plus, Search } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';
import { SettingsButton } from '../settings/settings-dialog.tsx';
import { useChats } from './chat-api.ts';
import { ChatListItem } from './chat-list-item.tsx';

export const SEARCH_ID = 'chat-search';

interface Props {
  currentChatId: string | null;
  open: boolean;
  onNewChat: () => void;
  /** After a chat is opened from the list (narrow screens close the sidebar then). */
  onOpened: () => void;
  onRenamed: (chat: Chat) => void;
  /** Below the chat list: the workspace's other kinds of pane (terminals...). */
  children?: ReactNode;
}

export function Sidebar({ currentChatId, open, onNewChat, onOpened, onRenamed, children }: Props) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search, 200);
  const chats = useChats(q);
  const list = chats.data?.chats ?? [];
  const running = useMemo(() => new Set(chats.data?.running), [chats.data]);

  return (
    <aside
      id="sidebar"
      aria-label="Chats"
      className={cn(
        'border-border bg-sidebar z-30 flex w-64 shrink-0 flex-col border-r',
        // Narrow screens: an overlay below the header, so the header's toggle still closes it.
        'max-md:fixed max-md:top-12 max-md:bottom-0 max-md:left-0 max-md:shadow-2xl max-md:shadow-black/60',
        !open && 'hidden',
      )}
    >
      <div className="flex h-12 shrink-0 items-center justify-between px-3">
        <span className="text-sm font-semibold tracking-tight">boocode</span>
        <Button variant="outline" size="sm" onClick={onNewChat} title="New chat (Ctrl+Shift+O)">
          <Plus />
          New chat
        </Button>
      </div>
      <div className="relative px-3 pb-2">
        <Search
          aria-hidden="true"
          className="text-muted-foreground pointer-events-none absolute top-2 left-5 size-4"
        />
        <Input
          id={SEARCH_ID}
          type="search"
          aria-label="Search chats"
          placeholder="Search chats"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && search) {
              e.preventDefault();
              setSearch('');
            }
          }}
          className="pr-8 pl-8"
        />
        {search ? null : <Kbd className="pointer-events-none absolute top-1.5 right-5">/</Kbd>}
      </div>
      <nav aria-label="Chat list" className="min-h-0 flex-1 overflow-y-auto pb-3">
        {chats.isPending ? (
          <div className="text-muted-foreground flex justify-center py-6">
            <Spinner />
          </div>
        ) : chats.isError && list.length === 0 ? (
          <Alert variant="destructive" className="mx-3 text-xs">
            {errorMessage(chats.error)}
          </Alert>
        ) : list.length === 0 ? (
          <p className="text-muted-foreground px-4 py-6 text-center text-xs">
            {q.trim() ? 'No chats match.' : 'No chats yet.'}
          </p>
        ) : (
          <ul role="list" className="flex flex-col gap-px">
            {list.map((chat) => (
              <ChatListItem
                key={chat.id}
                chat={chat}
                current={chat.id === currentChatId}
                running={running.has(chat.id)}
                match={chats.data?.matches[chat.id]}
                term={q}
                onOpen={onOpened}
                onRenamed={onRenamed}
              />
            ))}
          </ul>
        )}
      </nav>
      {children}
      <div className="border-border shrink-0 border-t p-2">
        <SettingsButton />
      </div>
    </aside>
  );
}
