import {
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Input, cn } from '@boocode/ui';
import { errorMessage } from '../../lib/api.ts';
import { useDebouncedValue } from '../../lib/use-debounced-value.ts';

export interface Found<T> {
  items: T[];
  notes: string[];
}

interface Props<T> {
  /** The box's accessible name: "Go to file". */
  label: string;
  placeholder: string;
  /** Which list this is, for the cache: the project and the kind of search. */
  cacheKey: readonly unknown[];
  /** Asks the server; called with the typed text once typing pauses. */
  search: (q: string, signal: AbortSignal) => Promise<Found<T>>;
  /** Whether an empty box already lists something (files do, symbols do not). */
  searchEmpty?: boolean;
  itemKey: (item: T) => string;
  renderItem: (item: T) => ReactNode;
  onPick: (item: T) => void;
  inputRef?: Ref<HTMLInputElement>;
  className?: string;
}

/**
 * A search box whose suggestions drop down under it, driven from the keyboard: arrows move,
 * Enter opens the highlighted one, Escape closes the list (a second Escape leaves the box).
 */
export function QuickOpen<T>({
  label,
  placeholder,
  cacheKey,
  search,
  searchEmpty = false,
  itemKey,
  renderItem,
  onPick,
  inputRef,
  className,
}: Props<T>) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // The close a blur put off: the box taken again before it runs must stay open.
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reopen = () => {
    if (closing.current) clearTimeout(closing.current);
    closing.current = null;
    setOpen(true);
  };
  const q = useDebouncedValue(text.trim(), 120);
  const listId = useId();
  const enabled = open && (searchEmpty || q !== '');
  const found = useQuery({
    queryKey: [...cacheKey, q],
    queryFn: ({ signal }) => search(q, signal),
    enabled,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
  const items = enabled ? (found.data?.items ?? []) : [];
  const shown = Math.min(active, Math.max(items.length - 1, 0));
  // Whether the list is the answer to the text as typed (not one a keystroke ago).
  const current =
    q === text.trim() &&
    (!enabled || found.isError || (found.isSuccess && !found.isPlaceholderData));
  // Enter before the list has caught up with the text picks from the list that answers it.
  const pickWhenCurrent = useRef(false);

  const pick = (item: T | undefined) => {
    pickWhenCurrent.current = false;
    if (item === undefined) return;
    onPick(item);
    setText('');
    setOpen(false);
  };
  useEffect(() => {
    if (pickWhenCurrent.current && current) pick(items[shown]);
  });

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      pickWhenCurrent.current = false;
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      if (items.length) setActive((shown + step + items.length) % items.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (current) pick(items[shown]);
      else pickWhenCurrent.current = true;
    } else if (e.key === 'Escape') {
      pickWhenCurrent.current = false;
      if (open && (text || items.length)) {
        e.stopPropagation();
        setOpen(false);
        setText('');
      } else e.currentTarget.blur();
    }
  };

  const expanded = enabled && (items.length > 0 || found.isError || found.isSuccess);
  return (
    <div className={cn('relative', className)}>
      <Input
        ref={inputRef}
        role="combobox"
        aria-label={label}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={expanded && items.length ? `${listId}-${shown}` : undefined}
        placeholder={placeholder}
        value={text}
        className="h-7 text-xs"
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
          reopen();
        }}
        onFocus={reopen}
        onBlur={() => {
          // A press on a suggestion blurs the box first: close only after it was taken.
          closing.current = setTimeout(() => {
            closing.current = null;
            pickWhenCurrent.current = false;
            setOpen(false);
          }, 150);
        }}
        onKeyDown={onKeyDown}
      />
      {expanded ? (
        <div className="border-border bg-popover absolute top-full right-0 left-0 z-30 mt-1 max-h-80 min-w-72 overflow-y-auto rounded-md border p-1 shadow-lg">
          <ul id={listId} role="listbox" aria-label={`${label} suggestions`}>
            {items.map((item, i) => (
              <li
                key={itemKey(item)}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === shown}
                className={cn(
                  'cursor-pointer truncate rounded px-2 py-1 font-mono text-xs',
                  i === shown && 'bg-accent text-accent-foreground',
                )}
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(item)}
              >
                {renderItem(item)}
              </li>
            ))}
          </ul>
          {found.isError ? (
            <p role="alert" className="text-destructive-text px-2 py-1 text-xs">
              {errorMessage(found.error)}
            </p>
          ) : items.length === 0 ? (
            <p className="text-muted-foreground px-2 py-1 text-xs">Nothing found.</p>
          ) : null}
          {found.data?.notes.map((n) => (
            <p key={n} className="text-muted-foreground px-2 py-1 text-[11px]">
              {n}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
