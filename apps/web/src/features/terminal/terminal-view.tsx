import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, Button, Input, Spinner } from '@boocode/ui';
import { ChevronDown, ChevronUp, X } from 'lucide-react';
import type { TerminalStatus } from './terminal-connection.ts';
import { useXterm, type XtermHandle } from './use-xterm.ts';

interface Props {
  terminalId: string;
  searchOpen: boolean;
  onSearchOpenChange: (open: boolean) => void;
  onStatus: (status: TerminalStatus) => void;
  onClosePane: () => void;
  /** Forgets the ended terminal and closes its pane. */
  onRemove: () => void;
}

/** The terminal's screen, its search bar, and what to do when the session is gone. */
export function TerminalView({
  terminalId,
  searchOpen,
  onSearchOpenChange,
  onStatus,
  onClosePane,
  onRemove,
}: Props) {
  const container = useRef<HTMLDivElement>(null);
  const openSearch = useCallback(() => onSearchOpenChange(true), [onSearchOpenChange]);
  const { handle, status, message } = useXterm(container, { terminalId, onSearchKey: openSearch });

  useEffect(() => onStatus(status), [onStatus, status]);

  // The session ended under the reader's keys: the focus goes to what can be done next.
  const ended = useRef<HTMLDivElement>(null);
  const over = status === 'exited' || status === 'gone';
  useEffect(() => {
    if (!over || !container.current?.contains(document.activeElement)) return;
    ended.current?.querySelector('button')?.focus();
  }, [over]);

  const closeSearch = useCallback(() => {
    handle?.search.clearDecorations();
    onSearchOpenChange(false);
    handle?.terminal.focus();
  }, [handle, onSearchOpenChange]);

  return (
    <div className="relative min-h-0 flex-1 bg-[#141518]">
      <div ref={container} className="absolute inset-0 py-1 pl-2" />
      {searchOpen && handle ? <SearchBar handle={handle} onClose={closeSearch} /> : null}
      {status === 'connecting' ? (
        <div className="text-muted-foreground pointer-events-none absolute inset-0 flex items-center justify-center">
          <Spinner />
          <span className="sr-only">Connecting to the terminal…</span>
        </div>
      ) : null}
      {status === 'reconnecting' ? (
        <div
          role="status"
          className="border-warning/40 bg-popover text-warning absolute top-2 left-1/2 z-10 -translate-x-1/2 rounded-full border px-3 py-1 text-xs shadow-lg shadow-black/40"
        >
          {message ? `${message} · reconnecting…` : 'Reconnecting…'}
        </div>
      ) : null}
      {over ? (
        <div ref={ended} className="absolute inset-x-0 bottom-0 z-10 flex justify-center p-4">
          <Alert className="bg-popover flex max-w-md flex-wrap items-center gap-x-3 gap-y-2 shadow-xl shadow-black/40">
            <span className="min-w-40 flex-1 text-sm">
              {status === 'exited'
                ? 'The session has ended.'
                : 'This terminal no longer exists: it was closed.'}
            </span>
            {status === 'exited' ? (
              <Button variant="outline" size="sm" onClick={onRemove}>
                Remove terminal
              </Button>
            ) : null}
            <Button variant="outline" size="sm" onClick={onClosePane}>
              Close pane
            </Button>
          </Alert>
        </div>
      ) : null}
    </div>
  );
}

// The active match is also selected, and the selection is drawn over it: the other matches
// get a colour of their own so that the active one stands out.
const DECORATIONS = {
  matchBackground: '#5c4a16',
  matchOverviewRuler: '#eed49f',
  activeMatchBackground: '#3b4270',
  activeMatchColorOverviewRuler: '#aab4ff',
};

/** Find in the terminal's screen and scrollback: Enter for the next match, Shift+Enter before. */
function SearchBar({ handle, onClose }: { handle: XtermHandle; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<{ index: number; count: number } | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
    const off = handle.search.onDidChangeResults(({ resultIndex, resultCount }) =>
      setResults({ index: resultIndex, count: resultCount }),
    );
    return () => off.dispose();
  }, [handle]);

  const find = (forward: boolean, q = query, typing = false) => {
    if (!q) {
      handle.search.clearDecorations();
      setResults(null);
      return;
    }
    // While typing, the current match grows with the query rather than moving on.
    const options = { decorations: DECORATIONS, incremental: typing };
    if (forward) handle.search.findNext(q, options);
    else handle.search.findPrevious(q, options);
  };

  const summary = !query
    ? ''
    : !results || results.count === 0
      ? 'No matches'
      : results.index < 0
        ? `${results.count}+ matches`
        : `${results.index + 1} of ${results.count}`;

  return (
    <div
      role="search"
      aria-label="Search the terminal"
      className="border-border bg-popover absolute top-2 right-4 z-20 flex max-w-[calc(100%-2rem)] items-center gap-1 rounded-md border p-1 shadow-lg shadow-black/40"
    >
      <Input
        ref={input}
        aria-label="Find in terminal"
        placeholder="Find"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          find(true, e.target.value, true);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            find(!e.shiftKey);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
        className="h-7 w-44 min-w-16 shrink"
      />
      <span
        aria-live="polite"
        className="text-muted-foreground w-20 shrink-0 text-center text-xs tabular-nums"
      >
        {summary}
      </span>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Previous match"
        title="Previous match (Shift+Enter)"
        onClick={() => find(false)}
      >
        <ChevronUp />
      </Button>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Next match"
        title="Next match (Enter)"
        onClick={() => find(true)}
      >
        <ChevronDown />
      </Button>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Close search"
        title="Close (Esc)"
        onClick={onClose}
      >
        <X />
      </Button>
    </div>
  );
}
