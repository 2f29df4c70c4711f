import { memo, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { TITLE_MAX, type Chat } from '@boocode/protocol';
import { Button, Input, Spinner, cn } from '@boocode/ui';
import { Pencil, Trash } from 'lucide-react';
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

type Mode = 'view' | 'rename' | 'confirm-delete';

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
  const [mode, setMode] = useState<Mode>('view');
  const update = useUpdateChat();
  const remove = useDeleteChat();
  const title = chat.title || 'Untitled';
  const matchId = useId();
  // Done with the rename box or the delete question by key or button: the focus goes back to
  // the chat's link, not to the page.
  const link = useRef<HTMLAnchorElement>(null);
  const refocus = useRef(false);
  const backToView = (focusLink = true) => {
    refocus.current = focusLink;
    setMode('view');
  };
  useEffect(() => {
    if (mode !== 'view' || !refocus.current) return;
    refocus.current = false;
    link.current?.focus();
  }, [mode]);

  /** Saves the title typed (by Enter, or when the box loses the focus to something else). */
  const rename = (value: string, focusLink: boolean) => {
    const next = value.trim();
    if (!next || next === chat.title) return backToView(focusLink);
    update.mutate(
      { chatId: chat.id, title: next },
      {
        onSuccess: (saved) => {
          backToView(focusLink);
          onRenamed(saved);
        },
      },
    );
  };

  const confirmDelete = () => {
    remove.mutate(chat.id, {
      onSuccess: () => {
        if (current) navigate('/', { replace: true });
      },
    });
  };

  if (mode === 'rename') {
    return (
      <li className="px-2 py-0.5">
        <Input
          aria-label="Chat title"
          maxLength={TITLE_MAX}
          defaultValue={chat.title}
          autoFocus
          disabled={update.isPending}
          onFocus={(e) => e.currentTarget.select()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              rename(e.currentTarget.value, true);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              // Nothing to save if the box then loses the focus.
              e.currentTarget.value = chat.title;
              backToView();
            }
          }}
          onBlur={(e) => {
            if (!update.isPending) rename(e.currentTarget.value, false);
          }}
          className="bg-background h-8"
        />
      </li>
    );
  }

  return (
    <li
      className={cn(
        'group/item relative mx-2 flex items-center rounded-md text-sm',
        current ? 'bg-accent text-foreground' : 'text-sidebar-foreground hover:bg-accent/60',
      )}
    >
      {mode === 'confirm-delete' ? (
        // The question on a line of its own, so the title it names stays readable.
        // It closes when the focus leaves it: one question open at a time.
        <div
          className="flex w-full flex-wrap items-center gap-1 py-1 pr-1 pl-2.5"
          onBlur={(e) => {
            if (!remove.isPending && !e.currentTarget.contains(e.relatedTarget)) backToView(false);
          }}
        >
          <span className="text-muted-foreground w-full truncate text-xs" title={title}>
            Delete “{title}”?
          </span>
          <Button
            variant="destructive"
            size="sm"
            autoFocus
            disabled={remove.isPending}
            onClick={confirmDelete}
            onKeyDown={(e) => e.key === 'Escape' && backToView()}
          >
            Confirm delete
          </Button>
          <Button variant="ghost" size="sm" onClick={() => backToView()}>
            Cancel
          </Button>
        </div>
      ) : (
        <>
          {running && (
            <Spinner
              role="img"
              aria-hidden={false}
              aria-label="Replying"
              className="text-muted-foreground ml-2.5 size-3 shrink-0"
            />
          )}
          <a
            ref={link}
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
          <div
            className={cn(
              'absolute right-1 flex items-center opacity-0 transition-opacity group-focus-within/item:opacity-100 group-hover/item:opacity-100 [@media(hover:none)]:opacity-100',
              current && 'opacity-100',
            )}
          >
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Rename ${title}`}
              title="Rename"
              onClick={() => setMode('rename')}
            >
              <Pencil />
            </Button>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Delete ${title}`}
              title="Delete"
              onClick={() => setMode('confirm-delete')}
              className="hover:text-destructive-text"
            >
              <Trash />
            </Button>
          </div>
        </>
      )}
    </li>
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
