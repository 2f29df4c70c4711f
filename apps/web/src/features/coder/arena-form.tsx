import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Arena, ProviderInfo } from '@boocode/protocol';
import { Button, NativeSelect, Spinner, Textarea } from '@boocode/ui';
import { Play, Plus, Trophy, X } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { arenasKey, startArena, useArenas } from './arena-api.ts';
import {
  MAX_ENTRANTS,
  MIN_ENTRANTS,
  arenaBody,
  arenaProviders,
  entrantName,
  initialRows,
  type EntrantRow,
} from './arena-setup.ts';
import { AgentSettingsPickers, DEFAULT_SETTINGS } from './agent-pickers.tsx';
import { sessionsKey } from './agent-api.ts';

interface Props {
  chatId: string;
  providers: ProviderInfo[] | undefined;
  /** An arena started, or a past one opened. */
  onOpen: (arena: Arena) => void;
}

/** A new arena: 2-4 entrants with their settings and one prompt; the past arenas below. */
export function ArenaForm({ chatId, providers, onOpen }: Props) {
  const qc = useQueryClient();
  const entering = arenaProviders(providers);
  const [rows, setRows] = useState<EntrantRow[] | null>(null);
  const [prompt, setPrompt] = useState('');
  const [starting, setStarting] = useState(false);
  const shown = rows ?? initialRows(entering);
  const body = arenaBody(chatId, prompt, shown, entering);
  const setRow = (i: number, row: EntrantRow) => setRows(shown.map((r, k) => (k === i ? row : r)));

  const start = () => {
    if (!body) return;
    setStarting(true);
    startArena(body).then(
      (arena) => {
        setStarting(false);
        setPrompt('');
        void qc.invalidateQueries({ queryKey: arenasKey(chatId) });
        void qc.invalidateQueries({ queryKey: sessionsKey(chatId) });
        onOpen(arena);
      },
      (err: unknown) => {
        setStarting(false);
        toastError(errorMessage(err));
      },
    );
  };

  return (
    <div className="min-h-0 flex-1 overflow-y-auto px-3 py-3">
      <form
        aria-label="New arena"
        className="flex flex-col gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
      >
        <p className="text-muted-foreground text-sm">
          One prompt to {MIN_ENTRANTS}–{MAX_ENTRANTS} agents at once, each in its own worktree.
          Nothing is pending until you pick the winner.
        </p>
        {entering.length === 0 ? (
          <p className="text-muted-foreground text-sm">
            No agent can enter: install or turn one on (Providers).
          </p>
        ) : null}
        {shown.map((row, i) => (
          <fieldset
            key={i}
            aria-label={`Entrant ${i + 1}`}
            className="border-border flex flex-wrap items-center gap-1.5 rounded-md border px-2 py-1.5"
          >
            <legend className="text-muted-foreground px-1 text-xs">Entrant {i + 1}</legend>
            <NativeSelect
              aria-label="Provider"
              value={row.provider}
              onChange={(e) => setRow(i, { provider: e.target.value, ...DEFAULT_SETTINGS })}
              className="max-w-48 min-w-0 shrink"
            >
              {entering.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </NativeSelect>
            <AgentSettingsPickers
              provider={entering.find((p) => p.id === row.provider)}
              value={row}
              onChange={(s) => setRow(i, { ...row, ...s })}
            />
            {shown.length > MIN_ENTRANTS ? (
              <Button
                type="button"
                variant="ghost"
                size="sm"
                aria-label={`Remove entrant ${i + 1}`}
                onClick={() => setRows(shown.filter((_, k) => k !== i))}
              >
                <X />
              </Button>
            ) : null}
          </fieldset>
        ))}
        <div>
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={shown.length >= MAX_ENTRANTS || entering.length === 0}
            onClick={() => setRows([...shown, { ...shown.at(-1)!, ...DEFAULT_SETTINGS }])}
          >
            <Plus />
            Add entrant
          </Button>
        </div>
        <Textarea
          aria-label="Arena prompt"
          placeholder="What should they all do?"
          value={prompt}
          rows={4}
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
              e.preventDefault();
              start();
            }
          }}
        />
        <div>
          <Button type="submit" disabled={!body || starting}>
            {starting ? <Spinner /> : <Play />}
            Start
          </Button>
        </div>
      </form>
      <PastArenas chatId={chatId} providers={providers} onOpen={onOpen} />
    </div>
  );
}

function PastArenas({ chatId, providers, onOpen }: Props) {
  const arenas = useArenas(chatId);
  const list = arenas.data?.arenas ?? [];
  if (list.length === 0) return null;
  return (
    <section aria-label="Past arenas" className="mt-5">
      <h3 className="mb-1.5 text-sm font-medium">Past arenas</h3>
      <ul className="flex flex-col gap-1">
        {list.map((a) => {
          const winner = a.entrants.find((e) => e.session.id === a.winnerSessionId);
          return (
            <li key={a.id}>
              <button
                type="button"
                onClick={() => onOpen(a)}
                className="hover:bg-accent flex w-full cursor-pointer flex-col items-start rounded-md px-2 py-1 text-left text-sm"
              >
                <span className="block w-full truncate">{a.prompt}</span>
                <span className="text-muted-foreground flex items-center gap-1 text-xs">
                  {winner ? <Trophy className="size-3" /> : null}
                  {winner
                    ? `Winner: ${entrantName(winner.session, providers)}`
                    : `${a.entrants.length} entrants, no winner`}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
