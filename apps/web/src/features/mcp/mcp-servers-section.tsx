import { useId, useState } from 'react';
import type { McpServerState, McpServerStatus } from '@boocode/protocol';
import { Alert, Button, Spinner, Switch, cn } from '@boocode/ui';
import { RotateCw, Trash2 } from 'lucide-react';
import { ConfirmQuestion } from '../../components/confirm-question.tsx';
import { errorMessage } from '../../lib/api.ts';
import { AddMcpServerForm } from './add-mcp-server-form.tsx';
import {
  useMcpServers,
  useRemoveMcpServer,
  useRestartMcpServer,
  useSetMcpEnabled,
} from './mcp-api.ts';

/** Settings: the MCP servers, their live status, and a form to add one. */
export function McpServersSection() {
  const servers = useMcpServers();
  const headingId = useId();
  const list = servers.data?.servers ?? [];

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <div>
        <h3 id={headingId} className="text-sm font-semibold">
          MCP servers
        </h3>
        <p className="text-muted-foreground mt-0.5 text-xs leading-5">
          Their tools join every chat’s tools as <code className="font-mono">server__tool</code>; a
          chat can turn a server off from its header. Kept in{' '}
          <code className="font-mono break-all">
            {servers.data?.configPath ?? '~/.boocode/mcp.json'}
          </code>
          , where edits by hand apply at once too.
        </p>
      </div>
      {servers.data?.configError ? (
        <Alert variant="destructive" className="text-xs leading-5">
          <span className="font-medium">mcp.json could not be read:</span>{' '}
          {servers.data.configError} The servers of its last good version keep running.
        </Alert>
      ) : null}
      {servers.isPending ? (
        <div className="text-muted-foreground flex justify-center py-4">
          <Spinner />
          <span className="sr-only">Loading…</span>
        </div>
      ) : servers.isError ? (
        <Alert variant="destructive" className="text-xs">
          Could not load the MCP servers: {errorMessage(servers.error)}
        </Alert>
      ) : list.length === 0 ? (
        <p className="text-muted-foreground border-border rounded-lg border border-dashed px-3 py-4 text-center text-xs">
          No MCP servers yet. Add one below.
        </p>
      ) : (
        <ul aria-label="MCP servers" className="space-y-2">
          {list.map((s) => (
            <ServerCard key={s.name} server={s} />
          ))}
        </ul>
      )}
      <AddMcpServerForm />
    </section>
  );
}

function ServerCard({ server: s }: { server: McpServerStatus }) {
  const setEnabled = useSetMcpEnabled();
  const restart = useRestartMcpServer();
  const [confirming, setConfirming] = useState(false);
  // Back from the question by Esc or Cancel: the focus returns to the Remove button.
  const [refocus, setRefocus] = useState(false);
  const remove = useRemoveMcpServer();
  const refused = s.target === '' && s.state === 'failed';

  return (
    <li
      aria-label={s.name}
      className={cn(
        'border-border bg-card/60 rounded-lg border px-3 py-2.5',
        s.state === 'failed' && 'border-destructive/40',
      )}
    >
      <div className="flex items-center gap-2">
        <span className="min-w-0 truncate font-mono text-sm font-medium">{s.name}</span>
        <StateBadge state={s.state} />
        <span className="text-muted-foreground border-border rounded border px-1 text-[10px] tracking-wide uppercase">
          {s.transport === 'stdio' ? 'stdio' : 'http'}
        </span>
        <span className="flex-1" />
        {confirming ? (
          <ConfirmQuestion
            className="gap-2"
            question={`Remove “${s.name}”?`}
            confirmLabel="Confirm remove"
            pending={remove.isPending}
            onConfirm={() => remove.mutate(s.name)}
            onCancel={(byUser) => {
              setRefocus(byUser);
              setConfirming(false);
            }}
          />
        ) : (
          <>
            {s.state === 'failed' && !refused ? (
              <Button
                variant="ghost"
                size="icon-sm"
                aria-label={`Retry ${s.name} now`}
                title="Retry now"
                disabled={restart.isPending}
                onClick={() => restart.mutate(s.name)}
              >
                <RotateCw />
              </Button>
            ) : null}
            {refused ? null : (
              <Switch
                aria-label={`Enable ${s.name}`}
                title={s.enabled ? 'On: click to turn off' : 'Off: click to turn on'}
                checked={s.enabled}
                disabled={setEnabled.isPending}
                onCheckedChange={(enabled) => setEnabled.mutate({ name: s.name, enabled })}
              />
            )}
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Remove ${s.name}`}
              title="Remove"
              className="hover:text-destructive-text"
              autoFocus={refocus}
              onClick={() => setConfirming(true)}
            >
              <Trash2 />
            </Button>
          </>
        )}
      </div>
      {s.target ? (
        <p className="text-muted-foreground mt-1 truncate font-mono text-[11px]" title={s.target}>
          {s.target}
          {s.envKeys.length ? <span> · env {s.envKeys.join(', ')}</span> : null}
          {s.headerNames.length ? <span> · headers {s.headerNames.join(', ')}</span> : null}
        </p>
      ) : null}
      <Details server={s} />
    </li>
  );
}

function Details({ server: s }: { server: McpServerStatus }) {
  switch (s.state) {
    case 'ready':
      return (
        <details className="group/tools mt-1.5 text-xs">
          <summary className="text-muted-foreground hover:text-foreground cursor-pointer select-none">
            {s.serverInfo ? (
              <span className="text-foreground">
                {s.serverInfo.name} {s.serverInfo.version}
              </span>
            ) : null}
            {s.serverInfo ? ' · ' : null}
            {s.tools.length === 1 ? '1 tool' : `${s.tools.length} tools`}
          </summary>
          <ul className="border-border mt-1.5 max-h-52 space-y-1 overflow-y-auto border-l pl-3">
            {s.tools.map((t) => (
              <li key={t.name}>
                <span className="font-mono">{t.name}</span>
                {t.description ? (
                  <span className="text-muted-foreground"> — {t.description}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      );
    case 'failed':
      return (
        <div className="mt-1.5 space-y-1.5 text-xs">
          <p className="text-destructive-text leading-5">{s.error}</p>
          {s.retryInMs !== null ? (
            <p className="text-muted-foreground">
              {s.attempts === 1 ? 'Tried once' : `Tried ${s.attempts} times`}; next try in{' '}
              {formatWait(s.retryInMs)}.
            </p>
          ) : null}
          {s.stderr ? (
            <div>
              <p className="text-muted-foreground mb-0.5">Last stderr output</p>
              <pre
                aria-label={`stderr of ${s.name}`}
                className="bg-code border-border/60 max-h-40 overflow-auto rounded-md border p-2 font-mono text-[11px] leading-4 whitespace-pre-wrap"
              >
                {s.stderr.trimEnd()}
              </pre>
            </div>
          ) : null}
        </div>
      );
    case 'connecting':
      return (
        <div className="text-muted-foreground mt-1.5 space-y-0.5 text-xs">
          <p>Starting{s.attempts > 1 ? ` (try ${s.attempts})` : ''}…</p>
          {s.error ? <p className="leading-5">Last try: {s.error}</p> : null}
        </div>
      );
    case 'disabled':
      return <p className="text-muted-foreground mt-1.5 text-xs">Off: not started.</p>;
  }
}

const stateLook: Record<McpServerState, string> = {
  connecting: 'border-border text-muted-foreground',
  ready: 'border-success/30 text-success',
  failed: 'border-destructive/40 text-destructive-text',
  disabled: 'border-border text-muted-foreground',
};

function StateBadge({ state }: { state: McpServerState }) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-1 rounded-full border px-1.5 text-[11px] leading-4',
        stateLook[state],
      )}
    >
      {state === 'connecting' ? <Spinner className="size-2.5 border" /> : null}
      {state}
    </span>
  );
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
