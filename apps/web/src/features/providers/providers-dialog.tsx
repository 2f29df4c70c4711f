import { useId, useState, type ReactNode } from 'react';
import type { Choice, ProbeState, ProviderInfo } from '@boocode/protocol';
import { Alert, Button, Dialog, Spinner, Switch, cn } from '@boocode/ui';
import { Bot, RefreshCw } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import {
  useProbeProvider,
  useProviders,
  useSetProviderEnabled,
  useSetProviderOwnConfig,
} from './providers-api.ts';

/** The coder pane's "Providers" button and the dialog it opens. */
export function ProvidersButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        aria-haspopup="dialog"
        title="The coding agents on this machine"
        onClick={() => setOpen(true)}
      >
        <Bot />
        <span className="hidden sm:inline">Providers</span>
        <span className="sr-only sm:hidden">Providers</span>
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Providers"
        description="The coding agents coder can start. Probe one to check that it answers."
      >
        <ProvidersList />
      </Dialog>
    </>
  );
}

function ProvidersList() {
  const providers = useProviders();
  if (providers.isPending) {
    return (
      <div className="text-muted-foreground flex justify-center py-6">
        <Spinner />
        <span className="sr-only">Loading…</span>
      </div>
    );
  }
  if (providers.isError) {
    return (
      <Alert variant="destructive" className="text-xs">
        Could not load the providers: {errorMessage(providers.error)}
      </Alert>
    );
  }
  const { providers: list, configPath, configError } = providers.data;
  return (
    <div className="space-y-3">
      {configError ? (
        <Alert variant="destructive" className="text-xs leading-5">
          <span className="font-medium">The providers file could not be used:</span> {configError}.
          The defaults are shown until it is fixed; switches cannot save meanwhile.
        </Alert>
      ) : null}
      <p className="text-muted-foreground text-xs">
        {list.filter((p) => p.installed).length} of {list.length} installed ·{' '}
        {list.filter((p) => p.installed && p.enabled).length} ready to use
      </p>
      <ul aria-label="Providers" className="space-y-2">
        {list.map((p) => (
          <ProviderCard key={p.id} provider={p} locked={configError !== null} />
        ))}
      </ul>
      <p className="text-muted-foreground text-xs leading-5">
        Kept in <code className="font-mono break-all">{configPath}</code>; add an agent there with
        its <code className="font-mono">command</code>, <code className="font-mono">args</code> and{' '}
        <code className="font-mono">env</code>.
      </p>
    </div>
  );
}

/** `locked`: the file has an error, so a switch could not be saved. */
function ProviderCard({ provider: p, locked }: { provider: ProviderInfo; locked: boolean }) {
  const setEnabled = useSetProviderEnabled();
  const probe = useProbeProvider();
  const probing = probe.isPending || p.probe.state === 'probing';
  const enabled = setEnabled.isPending ? (setEnabled.variables?.enabled ?? p.enabled) : p.enabled;
  const labelId = useId();
  return (
    <li
      aria-labelledby={labelId}
      className={cn(
        'border-border bg-card/60 rounded-lg border px-3 py-2.5',
        !enabled && 'opacity-70',
        p.probe.state === 'failed' && enabled && 'border-destructive/40',
      )}
    >
      <div className="flex items-start gap-2">
        <div className="flex min-w-0 flex-1 flex-wrap items-center gap-x-2 gap-y-1 pt-0.5">
          <span id={labelId} className="min-w-0 truncate text-sm font-medium">
            {p.label}
          </span>
          <Tag>{DRIVER_TAG[p.driver]}</Tag>
          <Installed provider={p} />
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Probe ${p.label}`}
            title={
              p.driver === 'builtin'
                ? 'Ask the model endpoint for its models'
                : 'Start it and complete its handshake'
            }
            disabled={probing}
            onClick={() => probe.mutate(p.id)}
          >
            {probing ? <Spinner className="size-3.5" /> : <RefreshCw />}
            Probe
          </Button>
          <Switch
            aria-label={`Enable ${p.label}`}
            title={
              locked
                ? 'Fix the providers file first'
                : enabled
                  ? 'On: click to turn off'
                  : 'Off: click to turn on'
            }
            checked={enabled}
            disabled={locked || setEnabled.isPending}
            onCheckedChange={(v) => setEnabled.mutate({ id: p.id, enabled: v })}
          />
        </div>
      </div>
      {p.command ? (
        <p className="text-muted-foreground mt-1 truncate font-mono text-[11px]" title={p.command}>
          {p.command}
        </p>
      ) : null}
      {p.driver === 'builtin' ? null : <OwnConfig provider={p} locked={locked} />}
      <ProbeLine probe={p.probe} probing={probing} />
      <Offers provider={p} />
    </li>
  );
}

/** Whether the agent is pointed at boocode's model endpoint or left to its own set-up. */
function OwnConfig({ provider: p, locked }: { provider: ProviderInfo; locked: boolean }) {
  const set = useSetProviderOwnConfig();
  const id = useId();
  const on = set.isPending ? (set.variables?.ownConfig ?? p.ownConfig) : p.ownConfig;
  return (
    <div className="mt-1.5 flex items-center gap-2 text-xs">
      <Switch
        id={id}
        aria-label={`${p.label} uses its own configuration`}
        checked={on}
        disabled={locked || set.isPending}
        onCheckedChange={(v) => set.mutate({ id: p.id, ownConfig: v })}
      />
      <label htmlFor={id} className="text-muted-foreground cursor-pointer select-none">
        {on
          ? 'Its own configuration and login'
          : "boocode's model endpoint, with the model picked in the coder pane"}
      </label>
    </div>
  );
}

function Tag({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <span
      className={cn(
        'border-border text-muted-foreground shrink-0 rounded border px-1 text-[10px] tracking-wide uppercase',
        className,
      )}
    >
      {children}
    </span>
  );
}

function Installed({ provider: p }: { provider: ProviderInfo }) {
  if (!p.installed) {
    return <span className="text-muted-foreground text-xs italic">not installed</span>;
  }
  return (
    <span className="text-success text-xs">
      installed{p.version ? <span className="font-mono"> {p.version}</span> : null}
    </span>
  );
}

const stateLook: Record<ProbeState['state'], string> = {
  unprobed: 'border-border text-muted-foreground',
  probing: 'border-border text-muted-foreground',
  ok: 'border-success/30 text-success',
  failed: 'border-destructive/40 text-destructive-text',
};

const stateText: Record<ProbeState['state'], string> = {
  unprobed: 'not probed yet',
  probing: 'probing',
  ok: 'answers',
  failed: 'failed',
};

function ProbeLine({ probe, probing }: { probe: ProbeState; probing: boolean }) {
  const state = probing ? 'probing' : probe.state;
  return (
    <div className="mt-1.5 space-y-1 text-xs">
      <div className="text-muted-foreground flex items-center gap-1.5">
        <span
          className={cn(
            'inline-flex items-center gap-1 rounded-full border px-1.5 text-[11px] leading-4',
            stateLook[state],
          )}
        >
          {state === 'probing' ? <Spinner className="size-2.5 border" /> : null}
          {stateText[state]}
        </span>
        {probe.at ? (
          <time dateTime={probe.at} title={new Date(probe.at).toLocaleString()}>
            {state === 'probing' ? 'last checked' : 'checked'} {ago(probe.at)}
          </time>
        ) : null}
      </div>
      {probe.error && state === 'failed' ? (
        <p className="text-destructive-text leading-5 break-words">{probe.error}</p>
      ) : null}
    </div>
  );
}

function Offers({ provider: p }: { provider: ProviderInfo }) {
  const rows = [
    ['Models', p.models],
    ['Modes', p.modes],
    ['Thinking', p.thinkingLevels],
  ] as const;
  if (rows.every(([, list]) => list.length === 0)) return null;
  return (
    <dl className="mt-1.5 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {rows.map(([name, list]) =>
        list.length ? (
          <div key={name} className="contents">
            <dt className="text-muted-foreground">
              {name} <span className="tabular-nums">({list.length})</span>
            </dt>
            <dd className="min-w-0 truncate" title={list.map((c) => c.name).join(', ')}>
              {names(list)}
            </dd>
          </div>
        ) : null,
      )}
    </dl>
  );
}

function names(list: readonly Choice[], shown = 4): string {
  const head = list.slice(0, shown).map((c) => c.name || c.id);
  return list.length > shown ? `${head.join(', ')} +${list.length - shown}` : head.join(', ');
}

function ago(iso: string): string {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** How each provider is driven, as its row says it. */
const DRIVER_TAG: Record<ProviderInfo['driver'], string> = {
  builtin: 'built-in',
  acp: 'ACP',
  http: 'HTTP server',
  sdk: 'SDK',
  pty: 'terminal',
};
