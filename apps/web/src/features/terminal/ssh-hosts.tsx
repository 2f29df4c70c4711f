import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { CreateSshHostBody, type PaneState, type SshHost } from '@boocode/protocol';
import { Button, Input, Popover } from '@boocode/ui';
import { Pencil, Plus, SquareTerminal } from 'lucide-react';
import { ConfirmQuestion } from '../../components/confirm-question.tsx';
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
  // Back from the question by Esc or Cancel: the focus returns to Remove host.
  const [refocus, setRefocus] = useState(false);
  /** What is wrong with each field, checked with the server's own schema before sending. */
  const [invalid, setInvalid] = useState<Partial<Record<HostField, string>>>({});
  const save = useSaveSshHost();
  const remove = useDeleteSshHost();
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    const body = CreateSshHostBody.safeParse({
      name,
      host: address,
      port: port.trim() === '' ? NaN : Number(port),
      user,
      identityFile: identity.trim() || null,
    });
    if (!body.success) {
      const found: Partial<Record<HostField, string>> = {};
      for (const issue of body.error.issues) {
        const key = issue.path[0] as HostField;
        found[key] ??= FIELD_HINTS[key];
      }
      setInvalid(found);
      const first = HOST_FIELDS.find((k) => found[k]);
      document.getElementById(`${id}-${first}`)?.focus();
      return;
    }
    setInvalid({});
    save.mutate({ id: host?.id ?? null, body: body.data }, { onSuccess: onDone });
  };

  /** A labelled input; its error, if any, below it and named as its description. */
  const field = (label: string, key: HostField, input: ReactNode) => (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-${key}`} className="text-xs font-medium">
        {label}
      </label>
      {input}
      {invalid[key] ? (
        <p id={`${id}-${key}-error`} className="text-destructive-text text-xs">
          {invalid[key]}
        </p>
      ) : null}
    </div>
  );
  /** The attributes that tie an input to its error, which goes once the field is edited. */
  const check = (key: HostField) => ({
    id: `${id}-${key}`,
    'aria-invalid': invalid[key] ? true : undefined,
    'aria-describedby': invalid[key] ? `${id}-${key}-error` : undefined,
    onInput: () => invalid[key] && setInvalid((was) => ({ ...was, [key]: undefined })),
  });

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-2">
      {field(
        'Name',
        'name',
        <Input
          {...check('name')}
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
              {...check('host')}
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
              {...check('port')}
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
          {...check('user')}
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
        'identityFile',
        <Input
          {...check('identityFile')}
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
      {host && confirmRemove ? (
        <ConfirmQuestion
          stacked
          question={`Remove “${host.name}”?`}
          confirmLabel="Confirm remove"
          pending={remove.isPending}
          onConfirm={() => remove.mutate(host.id, { onSuccess: onDone })}
          onCancel={(byUser) => {
            setRefocus(byUser);
            setConfirmRemove(false);
          }}
        />
      ) : (
        <div className="flex items-center gap-2">
          {host ? (
            <Button
              variant="ghost"
              size="sm"
              autoFocus={refocus}
              onClick={() => setConfirmRemove(true)}
            >
              Remove host
            </Button>
          ) : null}
          <Button type="submit" className="ml-auto" disabled={save.isPending}>
            {host ? 'Save host' : 'Add host'}
          </Button>
        </div>
      )}
    </form>
  );
}

type HostField = keyof CreateSshHostBody;
const HOST_FIELDS: HostField[] = ['name', 'host', 'port', 'user', 'identityFile'];
const FIELD_HINTS: Record<HostField, string> = {
  name: 'Give the host a name (up to 100 characters).',
  host: 'A host name or IP address, such as devbox.lan or 10.0.0.5.',
  port: 'A port from 1 to 65535.',
  user: 'A user name: letters, digits, dots, dashes and underscores.',
  identityFile: 'An absolute path, or one in your home such as ~/.ssh/id_ed25519.',
};
