import { memo } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { PaneState, Terminal } from '@boocode/protocol';
import { cn } from '@boocode/ui';
import { EditableRow } from '../../components/editable-row.tsx';
import { errorMessage } from '../../lib/api.ts';
import { NewOnProject } from '../projects/new-on-project.tsx';
import { SshHostsSection } from './ssh-hosts.tsx';
import {
  createTerminal,
  listNewTerminal,
  useKillTerminal,
  useRenameTerminal,
  useTerminals,
} from './terminal-api.ts';
import { TerminalSettings } from './terminal-settings.tsx';
import { estimateNewPaneSize } from './terminal-size.ts';

type Open = (state: PaneState) => void;

/** The sidebar's terminal block: New terminal, the terminals (open, rename, close), SSH hosts. */
export function TerminalsSidebar({ open }: { open: Open }) {
  const terminals = useTerminals();
  const list = terminals.data?.terminals ?? [];
  return (
    <div className="flex flex-col gap-1 py-2">
      <div className="flex items-center gap-1 pr-3 pl-4">
        <h2 className="text-muted-foreground flex-1 text-xs font-medium tracking-wide uppercase">
          Terminals
        </h2>
        <TerminalSettings />
        <NewTerminal open={open} />
      </div>
      {terminals.isError && list.length === 0 ? (
        <p className="text-muted-foreground px-4 py-1 text-xs">
          Terminals unavailable: {errorMessage(terminals.error)}
        </p>
      ) : list.length === 0 ? (
        <p className="text-muted-foreground px-4 py-1 text-xs">No terminals yet.</p>
      ) : (
        <ul
          role="list"
          aria-label="Terminals"
          className="flex max-h-48 flex-col gap-px overflow-y-auto"
        >
          {list.map((t) => (
            <TerminalItem key={t.id} terminal={t} open={open} />
          ))}
        </ul>
      )}
      <SshHostsSection open={open} />
    </div>
  );
}

/** "New terminal": in which directory (a project's, or home), then a pane beside the active one. */
function NewTerminal({ open }: { open: Open }) {
  const qc = useQueryClient();
  return (
    <NewOnProject
      label="New terminal"
      title="Open a shell in a project’s directory"
      field={{ label: 'Start the shell in', name: 'Directory' }}
      none="Home directory"
      submit="Open terminal"
      create={async (projectId) => {
        const t = await createTerminal({
          projectId: projectId ?? undefined,
          ...estimateNewPaneSize(),
        });
        await listNewTerminal(qc, t);
        return t;
      }}
      onCreated={(t) => open({ kind: 'terminal', terminalId: t.id })}
    />
  );
}

const TerminalItem = memo(function TerminalItem({
  terminal,
  open,
}: {
  terminal: Terminal;
  open: Open;
}) {
  const rename = useRenameTerminal();
  const kill = useKillTerminal();
  const title = terminal.title || 'Terminal';

  return (
    <EditableRow
      name={title}
      className="text-sidebar-foreground hover:bg-accent/60"
      rename={{
        label: 'Terminal title',
        value: terminal.title,
        pending: rename.isPending,
        save: (next, done) => rename.mutate({ id: terminal.id, title: next }, { onSuccess: done }),
        error: rename.isError ? errorMessage(rename.error) : null,
      }}
      remove={{
        verb: 'Close',
        title: 'Close (ends the shell)',
        hint: 'Ends the shell and everything running in it',
        pending: kill.isPending,
        confirm: () => kill.mutate(terminal.id),
      }}
    >
      <button
        type="button"
        title={`${title} · ${terminal.cwd}`}
        onClick={() => open({ kind: 'terminal', terminalId: terminal.id })}
        className={cn(
          'focus-visible:ring-ring/60 flex min-w-0 flex-1 items-center gap-2 rounded-md py-1.5 pr-14 pl-2.5 text-left outline-none focus-visible:ring-2',
          !terminal.alive && 'text-muted-foreground',
        )}
      >
        <span
          aria-hidden="true"
          className={cn(
            'size-1.5 shrink-0 rounded-full',
            terminal.alive ? 'bg-success' : 'bg-muted-foreground/50',
          )}
        />
        <span className="truncate">{title}</span>
        {terminal.alive ? null : <span className="text-xs">(ended)</span>}
      </button>
    </EditableRow>
  );
});
