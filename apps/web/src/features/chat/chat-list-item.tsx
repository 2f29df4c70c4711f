import { memo, useId, type ReactNode } from 'react';
import type { Chat } from '@boocode/protocol';
import { Spinner, cn } from '@boocode/ui';
import { EditableRow } from '../../components/editable-row.tsx';
import { chatPath, navigate } from '../../lib/router.ts';
import { useDeleteChat, useUpdateChat } from './chat-api.ts';

interface Props {
  chat: Chat;
  current: boolean;
  /** Its reply is being written now. */
  running: boolean;
  /** A search for `term` found it by this text in its messages. */
  match?: string;
  term?: string;
  onOpen: () => void;
  onRenamed: (chat: Chat) => void;
}

/** A chat in the sidebar: a link (after a spinner while it replies), with inline rename and a two-step delete. */
export const ChatListItem = memo(function ChatListItem({
  chat,
  current,
  running,
  match,
  term = '',
  onOpen,
  onRenamed,
}: Props) {
  const update = useUpdateChat();
  const remove = useDeleteChat();
  const title = chat.title || 'Untitled';
  const matchId = useId();

  return (
    <EditableRow
      name={title}
      className={
        current ? 'bg-accent text-foreground' : 'text-sidebar-foreground hover:bg-accent/60'
      }
      pinActions={current}
      rename={{
        label: 'Chat title',
        value: chat.title,
        pending: update.isPending,
        save: (next, done) =>
          update.mutate(
            { chatId: chat.id, title: next },
            {
              onSuccess: (saved) => {
                done();
                onRenamed(saved);
              },
            },
          ),
      }}
      remove={{
        verb: 'Delete',
        title: 'Delete',
        pending: remove.isPending,
        confirm: () =>
          remove.mutate(chat.id, {
            onSuccess: () => {
              if (current) navigate('/', { replace: true });
            },
          }),
      }}
    >
      {running && (
        <Spinner
          role="img"
          aria-hidden={false}
          aria-label="Replying"
          className="text-muted-foreground ml-2.5 size-3 shrink-0"
        />
      )}
      <a
        href={chatPath(chat.id)}
        aria-current={current ? 'page' : undefined}
        title={title}
        // The name is the title; the text a search found in it describes the link.
        aria-label={match ? title : undefined}
        aria-describedby={match ? matchId : undefined}
        onClick={(e) => {
          if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
          e.preventDefault();
          navigate(chatPath(chat.id));
          onOpen();
        }}
        className={cn(
          'focus-visible:ring-ring/60 min-w-0 flex-1 truncate rounded-md py-1.5 pr-14 outline-none focus-visible:ring-2',
          match && 'flex flex-col whitespace-normal',
          running ? 'pl-1.5' : 'pl-2.5',
        )}
      >
        {match ? (
          <>
            <span className="truncate">{title}</span>
            <span id={matchId} className="text-muted-foreground line-clamp-2 text-xs">
              <Highlighted text={match} term={term} />
            </span>
          </>
        ) : (
          title
        )}
      </a>
    </EditableRow>
  );
});

/** `text` with each occurrence of `term` (any case) marked. */
function Highlighted({ text, term }: { text: string; term: string }) {
  const needle = term.trim().toLowerCase();
  if (!needle) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, from)) {
    out.push(text.slice(from, at));
    out.push(
      <mark key={at} className="text-foreground rounded-sm bg-amber-400/25">
        {text.slice(at, at + needle.length)}
      </mark>,
    );
    from = at + needle.length;
  }
  out.push(text.slice(from));
  return out;
}
