import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { PaneState, SshHost } from '@boocode/protocol';
import { Button, Input, Popover } from '@boocode/ui';
import { Pencil, Plus, SquareTerminal } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import {
  useCreateTerminal,
  useDeleteSshHost,
  useSaveSshHost,
  useSshHosts,
} from './terminal-api.ts';
import { estimateNewPaneSize } from './terminal-size.ts';

type Open = (state: PaneState) => void;

/** The SSH hosts, each with a button that opens a terminal on it; add, edit, remove. */
export function SshHostsSection({ open }: { open: Open }) {
  const hosts = useSshHosts();
  const list = hosts.data?.hosts ?? [];
  return (
    <div className="mt-2 flex flex-col gap-1">
      <div className="flex items-center gap-1 pr-3 pl-4">
        <h2 className="text-muted-foreground flex-1 text-xs font-medium tracking-wide uppercase">
          SSH hosts
        </h2>
        <HostPopover host={null} />
      </div>
      {list.length === 0 ? (
        <p className="text-muted-foreground px-4 py-1 text-xs">
          {hosts.isError ? `Unavailable: ${errorMessage(hosts.error)}` : 'No hosts yet.'}
        </p>
      ) : (
        <ul
          role="list"
          aria-label="SSH hosts"
          className="flex max-h-32 flex-col gap-px overflow-y-auto"
        >
          {list.map((h) => (
            <HostItem key={h.id} host={h} open={open} />
          ))}
        </ul>
      )}
    </div>
  );
}

function HostItem({ host, open }: { host: SshHost; open: Open }) {
  const create = useCreateTerminal();
  const address = `${host.user}@${host.host}${host.port === 22 ? '' : `:${host.port}`}`;
  return (
    <li className="group/item hover:bg-accent/60 relative mx-2 flex items-center gap-1 rounded-md py-1 pr-1 pl-2.5 text-sm">
      <div className="min-w-0 flex-1" title={address}>
        <div className="text-sidebar-foreground truncate">{host.name}</div>
        <div className="text-muted-foreground truncate font-mono text-[11px]">{address}</div>
        {create.isError ? (
          <p role="alert" className="text-destructive-text text-xs">
            {errorMessage(create.error)}
          </p>
        ) : null}
      </div>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label={`New SSH terminal on ${host.name}`}
        title={`New SSH terminal on ${host.name}`}
        disabled={create.isPending}
        onClick={() =>
          create.mutate(
            { sshHostId: host.id, ...estimateNewPaneSize() },
            { onSuccess: (t) => open({ kind: 'terminal', terminalId: t.id }) },
          )
        }
      >
        <SquareTerminal />
      </Button>
      <HostPopover host={host} />
    </li>
  );
}

/** Add a host (host null) or edit one, in a small form under its button. */
function HostPopover({ host }: { host: SshHost | null }) {
  const [isOpen, setOpen] = useState(false);
  return (
    <Popover
      open={isOpen}
      onOpenChange={setOpen}
      label={host ? `Edit ${host.name}` : 'Add SSH host'}
      align="end"
      side="top"
      trigger={
        host
          ? {
              variant: 'ghost',
              size: 'icon-sm',
              'aria-label': `Edit ${host.name}`,
              title: 'Edit host',
              children: <Pencil />,
            }
          : {
              variant: 'ghost',
              size: 'icon-sm',
              'aria-label': 'Add SSH host',
              title: 'Add SSH host',
              children: <Plus />,
            }
      }
    >
      <HostForm host={host} onDone={() => setOpen(false)} />
    </Popover>
  );
}

function HostForm({ host, onDone }: { host: SshHost | null; onDone: () => void }) {
  const [name, setName] = useState(host?.name ?? '');
  const [address, setAddress] = useState(host?.host ?? '');
  const [port, setPort] = useState(String(host?.port ?? 22));
  const [user, setUser] = useState(host?.user ?? '');
  const [identity, setIdentity] = useState(host?.identityFile ?? '');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const save = useSaveSshHost();
  const remove = useDeleteSshHost();
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    save.mutate(
      {
        id: host?.id ?? null,
        body: {
          name: name.trim(),
          host: address.trim(),
          port: Number(port),
          user: user.trim(),
          identityFile: identity.trim() || null,
        },
      },
      { onSuccess: onDone },
    );
  };

  const field = (label: string, key: string, input: ReactNode) => (
    <label htmlFor={`${id}-${key}`} className="flex flex-col gap-1 text-xs font-medium">
      {label}
      {input}
    </label>
  );

  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      {field(
        'Name',
        'name',
        <Input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoFocus
          required
          placeholder="devbox"
        />,
      )}
      <div className="flex gap-2">
        <div className="min-w-0 flex-1">
          {field(
            'Host',
            'host',
            <Input
              id={`${id}-host`}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              required
              spellCheck={false}
              placeholder="devbox.lan"
              className="font-mono text-xs"
            />,
          )}
        </div>
        <div className="w-20">
          {field(
            'Port',
            'port',
            <Input
              id={`${id}-port`}
              type="number"
              min={1}
              max={65535}
              value={port}
              onChange={(e) => setPort(e.target.value)}
              required
              className="font-mono text-xs"
            />,
          )}
        </div>
      </div>
      {field(
        'User',
        'user',
        <Input
          id={`${id}-user`}
          value={user}
          onChange={(e) => setUser(e.target.value)}
          required
          spellCheck={false}
          autoComplete="off"
          className="font-mono text-xs"
        />,
      )}
      {field(
        'Identity file (optional)',
        'identity',
        <Input
          id={`${id}-identity`}
          value={identity}
          onChange={(e) => setIdentity(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          placeholder="~/.ssh/id_ed25519"
          className="font-mono text-xs"
        />,
      )}
      {save.isError ? (
        <p role="alert" className="text-destructive-text text-xs">
          {errorMessage(save.error)}
        </p>
      ) : null}
      <div className="flex items-center gap-2">
        {host ? (
          confirmRemove ? (
            <Button
              variant="destructive"
              size="sm"
              autoFocus
              disabled={remove.isPending}
              onClick={() => remove.mutate(host.id, { onSuccess: onDone })}
            >
              Confirm remove
            </Button>
          ) : (
            <Button variant="ghost" size="sm" onClick={() => setConfirmRemove(true)}>
              Remove host
            </Button>
          )
        ) : null}
        <Button type="submit" className="ml-auto" disabled={save.isPending}>
          {host ? 'Save host' : 'Add host'}
        </Button>
      </div>
    </form>
  );
}
