import { memo, useId, useState, type FormEvent } from 'react';
import { TITLE_MAX, type PaneState, type Terminal } from '@boocode/protocol';
import { Alert, Button, Input, NativeSelect, Popover, cn } from '@boocode/ui';
import { Pencil, Plus, Settings2, Trash } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { getLastProject } from '../../lib/last-project.ts';
import { useProjects } from '../projects/project-api.ts';
import { defaultProject } from '../projects/project-picker.tsx';
import { SshHostsSection } from './ssh-hosts.tsx';
import {
  useCreateTerminal,
  useKillTerminal,
  useRenameTerminal,
  useTerminals,
} from './terminal-api.ts';
import { getScreenReaderMode, setScreenReaderMode } from './terminal-prefs.ts';
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
  const [isOpen, setOpen] = useState(false);
  const projects = useProjects();
  const list = projects.data?.projects ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  const value = picked ?? defaultProject(getLastProject(), list) ?? '';
  const create = useCreateTerminal();
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (create.isPending) return;
    create.mutate(
      { projectId: value || undefined, ...estimateNewPaneSize() },
      {
        onSuccess: (t) => {
          setOpen(false);
          open({ kind: 'terminal', terminalId: t.id });
        },
      },
    );
  };

  return (
    <Popover
      open={isOpen}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) create.reset();
      }}
      label="New terminal"
      align="end"
      side="top"
      className="w-60"
      trigger={{
        variant: 'outline',
        size: 'sm',
        title: 'Open a shell in a project’s directory',
        children: (
          <>
            <Plus />
            New terminal
          </>
        ),
      }}
    >
      <form onSubmit={submit} className="flex flex-col gap-2">
        <label htmlFor={id} className="text-xs font-medium">
          Start the shell in
        </label>
        <NativeSelect
          id={id}
          aria-label="Directory"
          value={value}
          onChange={(e) => setPicked(e.target.value)}
          autoFocus
        >
          <option value="">Home directory</option>
          {list.map((p) => (
            <option key={p.id} value={p.id} title={p.path}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
        <Button type="submit" disabled={create.isPending}>
          Open terminal
        </Button>
        {create.isError ? (
          <p role="alert" className="text-destructive-text text-xs">
            {errorMessage(create.error)}
          </p>
        ) : null}
      </form>
    </Popover>
  );
}

function TerminalSettings() {
  const [isOpen, setOpen] = useState(false);
  const [screenReader, setScreenReader] = useState(getScreenReaderMode);
  const id = useId();
  return (
    <Popover
      open={isOpen}
      onOpenChange={setOpen}
      label="Terminal settings"
      align="start"
      side="top"
      className="w-60"
      trigger={{
        variant: 'ghost',
        size: 'icon-sm',
        'aria-label': 'Terminal settings',
        title: 'Terminal settings',
        children: <Settings2 />,
      }}
    >
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={screenReader}
          onChange={(e) => {
            setScreenReader(e.target.checked);
            setScreenReaderMode(e.target.checked);
          }}
          className="accent-primary mt-0.5"
        />
        <label htmlFor={id} className="text-xs">
          <span className="font-medium">Screen reader mode</span>
          <span className="text-muted-foreground block">
            Terminals keep their text where assistive technology can read it (a little slower on
            heavy output). Applies to terminals opened from now on.
          </span>
        </label>
      </div>
    </Popover>
  );
}

type Mode = 'view' | 'rename' | 'confirm-close';

const TerminalItem = memo(function TerminalItem({
  terminal,
  open,
}: {
  terminal: Terminal;
  open: Open;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const rename = useRenameTerminal();
  const kill = useKillTerminal();
  const title = terminal.title || 'Terminal';

  const saveTitle = (value: string) => {
    const next = value.trim();
    if (!next || next === terminal.title) return setMode('view');
    rename.mutate({ id: terminal.id, title: next }, { onSuccess: () => setMode('view') });
  };

  if (mode === 'rename') {
    return (
      <li className="px-2 py-0.5">
        <Input
          aria-label="Terminal title"
          maxLength={TITLE_MAX}
          defaultValue={terminal.title}
          autoFocus
          disabled={rename.isPending}
          onFocus={(e) => e.currentTarget.select()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              saveTitle(e.currentTarget.value);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              setMode('view');
            }
          }}
          onBlur={() => {
            if (!rename.isPending) setMode('view');
          }}
          className="bg-background h-8"
        />
      </li>
    );
  }

  if (mode === 'confirm-close') {
    return (
      <li className="mx-2 flex items-center gap-1 rounded-md py-1 pr-1 pl-2.5">
        <span
          className="text-muted-foreground min-w-0 flex-1 truncate text-xs"
          title="Ends the shell and everything running in it"
        >
          Close “{title}”?
        </span>
        <Button
          variant="destructive"
          size="sm"
          autoFocus
          disabled={kill.isPending}
          onClick={() => kill.mutate(terminal.id, { onSuccess: () => setMode('view') })}
          onKeyDown={(e) => e.key === 'Escape' && setMode('view')}
        >
          Confirm close
        </Button>
        <Button variant="ghost" size="sm" onClick={() => setMode('view')}>
          Cancel
        </Button>
      </li>
    );
  }

  return (
    <li className="group/item text-sidebar-foreground hover:bg-accent/60 relative mx-2 flex items-center rounded-md text-sm">
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
      <div className="absolute right-1 flex items-center opacity-0 transition-opacity group-focus-within/item:opacity-100 group-hover/item:opacity-100 [@media(hover:none)]:opacity-100">
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
          aria-label={`Close ${title}`}
          title="Close (ends the shell)"
          onClick={() => setMode('confirm-close')}
          className="hover:text-destructive-text"
        >
          <Trash />
        </Button>
      </div>
      {rename.isError ? (
        <Alert variant="destructive" className="absolute top-full z-10 text-xs">
          {errorMessage(rename.error)}
        </Alert>
      ) : null}
    </li>
  );
});
