import { useCallback, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ProviderInfo } from '@boocode/protocol';
import { Button, Spinner } from '@boocode/ui';
import { FolderSync, Play, SquarePlus } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { createTerminal, listNewTerminal, useKillTerminal } from '../terminal/terminal-api.ts';
import type { TerminalStatus } from '../terminal/terminal-connection.ts';
import { TerminalView } from '../terminal/terminal-view.tsx';
import { usePaneSlot, useWorkspaceControls } from '../workspace/pane-chrome.tsx';
import { closeSession, sessionsKey, startSession, syncSession, useSessions } from './agent-api.ts';
import { coderKey } from './coder-api.ts';
import { ptyView, type PtyTerminal } from './pty-choice.ts';

interface Props {
  chatId: string;
  provider: string;
  info: ProviderInfo | undefined;
  providerPicker: ReactNode;
  /** The pane's terminal of its session, kept in the pane's state so a reload shows it again. */
  ptyTerminal: PtyTerminal | undefined;
  onPtyTerminal: (t: PtyTerminal | undefined) => void;
}

/**
 * The left side of a coder pane whose agent speaks no protocol: its CLI runs in a BooTerm
 * terminal in the session's worktree. Its changes are collected into the review panel on demand
 * and when the terminal ends.
 */
export function PtySide(props: Props) {
  const { chatId, provider, info, ptyTerminal, onPtyTerminal } = props;
  const qc = useQueryClient();
  const sessions = useSessions(chatId, true);
  const { session, terminalId } = ptyView(sessions.data?.sessions, provider, ptyTerminal);
  const label = info?.label ?? provider;
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [searchOpen, setSearchOpen] = useState(false);
  // The terminal whose end was collected (or put away with its session): once each.
  const endedFor = useRef<string | null>(null);
  const { mutateAsync: killTerminal } = useKillTerminal();
  const { paneId } = usePaneSlot();
  const ws = useWorkspaceControls();
  const refresh = useCallback(() => {
    void qc.invalidateQueries({ queryKey: sessionsKey(chatId) });
    void qc.invalidateQueries({ queryKey: coderKey(chatId) });
  }, [qc, chatId]);

  const collect = useCallback(
    async (sessionId: string, ended: boolean) => {
      try {
        const r = await syncSession(sessionId, ended);
        const n = r.paths.length;
        setNote(n === 0 ? 'No new changes.' : `Collected ${n} change${n === 1 ? '' : 's'}.`);
        refresh();
      } catch (err) {
        toastError(errorMessage(err));
      }
    },
    [refresh],
  );

  const start = async () => {
    setBusy(true);
    setNote(null);
    try {
      const s = session ?? (await startSession({ chatId, provider }));
      const t = await createTerminal({ agentSessionId: s.id });
      void listNewTerminal(qc, t);
      onPtyTerminal({ sessionId: s.id, terminalId: t.id });
      refresh();
    } catch (err) {
      toastError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const newSession = async () => {
    setBusy(true);
    try {
      // coder cannot reach booterm: the terminal goes first, then the session and its worktree.
      // Its end is not collected: the session is put away.
      endedFor.current = terminalId;
      if (terminalId) await killTerminal(terminalId);
      if (session) await closeSession(session.id);
      onPtyTerminal(undefined);
      setNote(null);
      refresh();
    } catch (err) {
      toastError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  // The CLI exited: what it left is collected once, and the session is idle.
  const onStatus = useCallback(
    (status: TerminalStatus) => {
      if (status !== 'exited' || !session || endedFor.current === terminalId) return;
      endedFor.current = terminalId;
      void collect(session.id, true);
    },
    [collect, session, terminalId],
  );

  return (
    <section aria-label="Agent terminal" className="flex h-full min-w-0 flex-col">
      <div
        role="toolbar"
        aria-label="Agent"
        className="border-border flex shrink-0 flex-wrap items-center gap-1.5 border-b px-2 py-1.5"
      >
        {props.providerPicker}
        {note ? (
          <span role="status" className="text-muted-foreground text-xs">
            {note}
          </span>
        ) : null}
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto"
          title="Queue what the agent changed in its worktree for review"
          disabled={!session || busy}
          onClick={() => session && void collect(session.id, false)}
        >
          <FolderSync />
          Collect changes
        </Button>
        <Button
          variant="ghost"
          size="sm"
          title="Close this session (its terminal and worktree are removed) and start afresh"
          disabled={!session || busy}
          onClick={() => void newSession()}
        >
          <SquarePlus />
          New session
        </Button>
      </div>
      {terminalId ? (
        <TerminalView
          key={terminalId}
          terminalId={terminalId}
          searchOpen={searchOpen}
          onSearchOpenChange={setSearchOpen}
          onStatus={onStatus}
          onClosePane={() => ws.close(paneId)}
          onRemove={() => {
            void killTerminal(terminalId).finally(() => onPtyTerminal(undefined));
          }}
        />
      ) : (
        <div className="text-muted-foreground flex min-h-0 flex-1 flex-col items-center justify-center gap-3 px-6 text-center text-sm">
          {sessions.isPending ? (
            <Spinner />
          ) : (
            <>
              <p className="max-w-sm">
                {label} runs in a terminal here, in its own worktree of the project. Collect its
                changes to review them on the right.
              </p>
              <Button disabled={busy} onClick={() => void start()}>
                <Play />
                Start {label}
              </Button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
