import { useCallback, useEffect, useState } from 'react';
import type { TerminalPaneState } from '@boocode/protocol';
import { Button } from '@boocode/ui';
import { Search, SquareTerminal } from 'lucide-react';
import { PaneChatSide, PaneChatToggle } from '../workspace/pane-chat-side.tsx';
import { PaneHeader, usePaneSlot, useWorkspaceControls } from '../workspace/pane-chrome.tsx';
import type { PaneProps } from '../workspace/pane-types.ts';
import { useKillTerminal, useTerminals } from './terminal-api.ts';
import type { TerminalStatus } from './terminal-connection.ts';
import { TerminalView } from './terminal-view.tsx';

/** A terminal pane: the session's screen, with search and the pane's own chat. */
export function TerminalPane({ state, update, setTitle }: PaneProps<TerminalPaneState>) {
  const terminals = useTerminals();
  const info = terminals.data?.terminals.find((t) => t.id === state.terminalId);
  // A terminal closed from the list leaves it: its pane keeps the name it had.
  const [known, setKnown] = useState<string | null>(null);
  if (info && info.title !== known) setKnown(info.title);
  const title = info?.title ?? known ?? 'Terminal';
  const [searchOpen, setSearchOpen] = useState(false);
  const [status, setStatus] = useState<TerminalStatus>('connecting');
  const { paneId } = usePaneSlot();
  const ws = useWorkspaceControls();
  const { refetch } = terminals;

  useEffect(() => setTitle(title), [setTitle, title]);
  // A session that ended shows it in the list too.
  useEffect(() => {
    if (status === 'exited' || status === 'gone') void refetch();
  }, [status, refetch]);

  const closePane = useCallback(() => ws.close(paneId), [ws, paneId]);
  const kill = useKillTerminal();
  const { mutate: killTerminal } = kill;
  // An ended terminal is of no more use: forget it and close its pane.
  const remove = useCallback(
    () => killTerminal(state.terminalId, { onSettled: closePane }),
    [killTerminal, state.terminalId, closePane],
  );

  return (
    <div className="flex h-full flex-col">
      <PaneHeader icon={SquareTerminal} title={title}>
        {/* An SSH terminal's directory is the one ssh was started in here: not worth showing. */}
        {info?.cwd && !info.sshHostId ? (
          <span
            className="text-muted-foreground hidden max-w-48 min-w-0 truncate font-mono text-xs lg:inline"
            title={info.cwd}
          >
            {info.cwd}
          </span>
        ) : null}
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label="Search terminal"
          aria-pressed={searchOpen}
          title="Search (Ctrl+Shift+F)"
          onClick={() => setSearchOpen((open) => !open)}
        >
          <Search />
        </Button>
        <PaneChatToggle chat={state.chat} onChange={(chat) => update({ ...state, chat })} />
      </PaneHeader>
      <PaneChatSide chat={state.chat} onChange={(chat) => update({ ...state, chat })}>
        <TerminalView
          terminalId={state.terminalId}
          searchOpen={searchOpen}
          onSearchOpenChange={setSearchOpen}
          onStatus={setStatus}
          onClosePane={closePane}
          onRemove={remove}
        />
      </PaneChatSide>
    </div>
  );
}
