import { useState } from 'react';
import type { Checkpoint, PendingChange } from '@boocode/protocol';
import { Alert, Button, Spinner, cn } from '@boocode/ui';
import { Check, FileMinus, FilePen, FilePlus, History, RotateCcw, X } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { useApply, useCheckpoints, usePending, useReject, useRewind } from './coder-api.ts';
import { DiffView, type DiffMode } from './diff-view.tsx';

const MODE_KEY = 'boocode.diffMode';

function savedMode(): DiffMode {
  return localStorage.getItem(MODE_KEY) === 'split' ? 'split' : 'unified';
}

/** The coder chat's pending changes as diffs, file by file, and its checkpoints. */
export function ReviewPanel({ chatId }: { chatId: string }) {
  const pending = usePending(chatId);
  const apply = useApply(chatId);
  const reject = useReject(chatId);
  const [mode, setModeState] = useState<DiffMode>(savedMode);
  const setMode = (m: DiffMode) => {
    localStorage.setItem(MODE_KEY, m);
    setModeState(m);
  };
  const changes = pending.data?.changes ?? [];
  const files = byFile(changes);
  const busy = apply.isPending || reject.isPending;

  return (
    <section aria-label="Review" className="flex h-full min-w-0 flex-col">
      <div className="border-border flex min-h-11 shrink-0 flex-wrap items-center gap-x-2 gap-y-1.5 border-b px-3 py-1.5">
        <h3 className="mr-auto shrink-0 text-sm font-medium whitespace-nowrap">
          Pending changes
          {changes.length > 0 ? (
            <span className="text-muted-foreground ml-1.5 font-normal">({changes.length})</span>
          ) : null}
        </h3>
        <div
          role="group"
          aria-label="Diff layout"
          className="border-border flex shrink-0 rounded-md border p-0.5"
        >
          {(['unified', 'split'] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              onClick={() => setMode(m)}
              className={cn(
                'cursor-pointer rounded px-2 py-0.5 text-xs whitespace-nowrap',
                mode === m
                  ? 'bg-accent text-foreground'
                  : 'text-muted-foreground hover:text-foreground',
              )}
            >
              {m === 'unified' ? 'Unified' : 'Side by side'}
            </button>
          ))}
        </div>
        <div className="flex shrink-0 items-center gap-1.5">
          <Button
            variant="outline"
            size="sm"
            disabled={changes.length === 0 || busy}
            onClick={() => reject.mutate(undefined)}
          >
            Reject all
          </Button>
          <Button
            size="sm"
            disabled={changes.length === 0 || busy}
            onClick={() => apply.mutate(undefined)}
          >
            {apply.isPending ? <Spinner /> : <Check />}
            Apply all
          </Button>
        </div>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto">
        {apply.isError ? (
          <Alert variant="destructive" role="alert" className="m-3 text-sm">
            {errorMessage(apply.error)}
          </Alert>
        ) : null}
        {pending.isLoading ? (
          <div className="text-muted-foreground flex justify-center p-6">
            <Spinner />
          </div>
        ) : files.length === 0 ? (
          <p className="text-muted-foreground px-4 py-6 text-center text-sm">
            No pending changes. When the agent edits, creates or deletes a file, the change waits
            here as a diff until you apply or reject it.
          </p>
        ) : (
          <div className="flex flex-col gap-3 p-3">
            {files.map(([path, list]) => (
              <FileChanges
                key={path}
                path={path}
                changes={list}
                mode={mode}
                busy={busy}
                onApply={(id) => apply.mutate([id])}
                onReject={(id) => reject.mutate([id])}
              />
            ))}
          </div>
        )}
        <Checkpoints chatId={chatId} />
      </div>
    </section>
  );
}

function byFile(changes: PendingChange[]): [string, PendingChange[]][] {
  const map = new Map<string, PendingChange[]>();
  for (const c of changes) map.set(c.path, [...(map.get(c.path) ?? []), c]);
  return [...map];
}

const KIND = {
  edit: { icon: FilePen, label: 'Edit', tone: 'text-sky-400' },
  create: { icon: FilePlus, label: 'New file', tone: 'text-emerald-400' },
  delete: { icon: FileMinus, label: 'Delete', tone: 'text-red-400' },
} as const;

function FileChanges({
  path,
  changes,
  mode,
  busy,
  onApply,
  onReject,
}: {
  path: string;
  changes: PendingChange[];
  mode: DiffMode;
  busy: boolean;
  onApply: (id: string) => void;
  onReject: (id: string) => void;
}) {
  return (
    <section
      aria-label={path}
      className="border-border bg-code @container overflow-hidden rounded-lg border"
    >
      {changes.map((c, i) => {
        const kind = KIND[c.kind];
        const Icon = kind.icon;
        return (
          <div key={c.id} className={cn(i > 0 && 'border-border border-t')}>
            <div className="border-border/70 flex h-9 items-center gap-2 border-b pr-1.5 pl-3">
              <Icon aria-hidden="true" className={cn('size-4 shrink-0', kind.tone)} />
              <span className="min-w-0 flex-1 truncate font-mono text-xs" title={path}>
                {path}
              </span>
              <span className="text-muted-foreground hidden shrink-0 text-xs @sm:inline">
                {kind.label}
                {changes.length > 1 ? ` ${i + 1} of ${changes.length}` : ''}
              </span>
              <span className="shrink-0 font-mono text-xs">
                <span className="text-emerald-400">+{c.additions}</span>{' '}
                <span className="text-red-400">−{c.deletions}</span>
              </span>
              <Button
                variant="ghost"
                size="sm"
                disabled={busy}
                title={`Reject this change to ${path}`}
                onClick={() => onReject(c.id)}
              >
                <X />
                Reject
              </Button>
              <Button
                variant="secondary"
                size="sm"
                disabled={busy}
                title={`Apply this change to ${path}`}
                onClick={() => onApply(c.id)}
              >
                <Check />
                Apply
              </Button>
            </div>
            <DiffView path={path} hunks={c.hunks} mode={mode} />
          </div>
        );
      })}
    </section>
  );
}

function Checkpoints({ chatId }: { chatId: string }) {
  const checkpoints = useCheckpoints(chatId);
  const rewind = useRewind(chatId);
  const list = checkpoints.data?.checkpoints ?? [];
  return (
    <section aria-label="Checkpoints" className="border-border border-t px-3 py-3">
      <h3 className="text-muted-foreground mb-2 flex items-center gap-1.5 text-xs font-medium tracking-wide uppercase">
        <History aria-hidden="true" className="size-3.5" />
        Checkpoints
      </h3>
      {list.length === 0 ? (
        <p className="text-muted-foreground text-xs">
          Each apply records one here; rewind to it to put the files back as they were.
        </p>
      ) : (
        <ol className="flex flex-col gap-1.5">
          {list.map((c) => (
            <CheckpointItem
              key={c.id}
              checkpoint={c}
              busy={rewind.isPending}
              onRewind={() => rewind.mutate(c.id)}
            />
          ))}
        </ol>
      )}
      {rewind.isError ? (
        <p role="alert" className="text-destructive-text mt-2 text-xs">
          {errorMessage(rewind.error)}
        </p>
      ) : null}
    </section>
  );
}

function CheckpointItem({
  checkpoint: c,
  busy,
  onRewind,
}: {
  checkpoint: Checkpoint;
  busy: boolean;
  onRewind: () => void;
}) {
  const at = new Date(c.createdAt);
  const rewound = c.rewoundAt !== null;
  return (
    <li
      aria-label={`Checkpoint: ${c.summary}`}
      className={cn(
        'border-border flex items-start gap-2 rounded-md border px-2.5 py-2',
        rewound && 'opacity-60',
      )}
    >
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm" title={c.summary}>
          {c.summary}
        </p>
        <p className="text-muted-foreground text-xs">
          <time dateTime={c.createdAt} title={at.toLocaleString()}>
            {at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })}
          </time>
          {' · '}
          {c.changes.length} file{c.changes.length === 1 ? '' : 's'}
          {rewound ? ' · rewound' : ''}
        </p>
        <ul className="mt-1 flex flex-col gap-0.5">
          {c.changes.slice(0, 6).map((ch) => {
            const Icon = KIND[ch.kind].icon;
            return (
              <li key={ch.path} className="flex min-w-0 items-center gap-1.5 text-xs">
                <Icon
                  aria-label={KIND[ch.kind].label}
                  className={cn('size-3.5 shrink-0', KIND[ch.kind].tone)}
                />
                <span className="truncate font-mono" title={ch.path}>
                  {ch.path}
                </span>
              </li>
            );
          })}
          {c.changes.length > 6 ? (
            <li className="text-muted-foreground text-xs">and {c.changes.length - 6} more</li>
          ) : null}
        </ul>
      </div>
      {rewound ? null : (
        <Button
          variant="outline"
          size="sm"
          disabled={busy}
          title="Put the files back as they were before this apply (and undo every later one)"
          onClick={onRewind}
        >
          <RotateCcw />
          Rewind
        </Button>
      )}
    </li>
  );
}
