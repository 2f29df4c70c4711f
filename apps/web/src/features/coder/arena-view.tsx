import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Arena, ArenaEntrant, ProviderInfo } from '@boocode/protocol';
import { Alert, Button, Spinner } from '@boocode/ui';
import { ArrowLeft, Trophy } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { formatCost, formatTokens } from '../../lib/money.ts';
import { toastError } from '../../lib/toast.ts';
import { sessionsKey } from './agent-api.ts';
import { isBusy } from './agent-run-state.ts';
import { AgentRunView } from './agent-run-view.tsx';
import { arenaKey, arenasKey, pickWinner, useArena, useArenaDiff } from './arena-api.ts';
import { ArenaForm } from './arena-form.tsx';
import { entrantName, formatDuration } from './arena-setup.ts';
import { coderKey } from './coder-api.ts';
import { DiffView } from './diff-view.tsx';
import { useAgentRun } from './use-agent-run.ts';

interface Props {
  chatId: string;
  providers: ProviderInfo[] | undefined;
}

/** The Arena of a coder pane: a new one's form and the past ones, or one arena's entrants. */
export function ArenaView({ chatId, providers }: Props) {
  const [arenaId, setArenaId] = useState<string | null>(null);
  const qc = useQueryClient();
  const open = (arena: Arena) => {
    qc.setQueryData(arenaKey(arena.id), { arena });
    setArenaId(arena.id);
  };
  return (
    <section aria-label="Arena" className="flex h-full min-w-0 flex-col">
      {arenaId ? (
        <ArenaBoard arenaId={arenaId} providers={providers} onBack={() => setArenaId(null)} />
      ) : (
        <ArenaForm chatId={chatId} providers={providers} onOpen={open} />
      )}
    </section>
  );
}

function ArenaBoard({
  arenaId,
  providers,
  onBack,
}: {
  arenaId: string;
  providers: ProviderInfo[] | undefined;
  onBack: () => void;
}) {
  const q = useArena(arenaId);
  const arena = q.data?.arena;
  return (
    <>
      <div className="border-border flex shrink-0 items-center gap-2 border-b px-2 py-1.5">
        <Button variant="ghost" size="sm" onClick={onBack}>
          <ArrowLeft />
          Arenas
        </Button>
        <p className="min-w-0 flex-1 truncate text-sm" title={arena?.prompt}>
          {arena?.prompt}
        </p>
      </div>
      {!arena ? (
        <div className="flex flex-1 items-center justify-center">
          {q.isError ? <Alert variant="destructive">{errorMessage(q.error)}</Alert> : <Spinner />}
        </div>
      ) : (
        <div className="flex min-h-0 flex-1 overflow-x-auto">
          {arena.entrants.map((e, i) => (
            <EntrantColumn
              key={e.session.id}
              arena={arena}
              entrant={e}
              name={`Entrant ${i + 1}: ${entrantName(e.session, providers)}`}
            />
          ))}
        </div>
      )}
    </>
  );
}

function EntrantColumn({
  arena,
  entrant,
  name,
}: {
  arena: Arena;
  entrant: ArenaEntrant;
  name: string;
}) {
  const qc = useQueryClient();
  const { run } = useAgentRun(entrant.session);
  const session = run?.session ?? entrant.session;
  const [picking, setPicking] = useState(false);
  const [showDiff, setShowDiff] = useState(false);
  const won = arena.winnerSessionId === session.id;
  // A status change of the run (its turn ended, it failed): the arena's answers, times and files.
  useEffect(() => {
    void qc.invalidateQueries({ queryKey: arenaKey(arena.id) });
  }, [qc, arena.id, session.status]);

  const pick = () => {
    setPicking(true);
    pickWinner(arena.id, session.id).then(
      (picked) => {
        setPicking(false);
        qc.setQueryData(arenaKey(arena.id), { arena: picked });
        void qc.invalidateQueries({ queryKey: coderKey(picked.chatId) });
        void qc.invalidateQueries({ queryKey: arenasKey(picked.chatId) });
        void qc.invalidateQueries({ queryKey: sessionsKey(picked.chatId) });
      },
      (err: unknown) => {
        setPicking(false);
        toastError(errorMessage(err));
      },
    );
  };

  const files = entrant.files;
  const tokens = session.inputTokens + session.outputTokens;
  // An entrant a restart closed keeps its worktree (its files are known): it can still win.
  const kept = session.status === 'idle' || (session.status === 'closed' && files !== null);
  return (
    <section
      aria-label={name}
      className="border-border flex min-w-72 flex-1 flex-col border-r last:border-r-0"
    >
      <div className="border-border flex shrink-0 flex-wrap items-center gap-2 border-b px-2 py-1.5">
        <h3 className="min-w-0 flex-1 truncate text-sm font-medium" title={name}>
          {name}
        </h3>
        {won ? (
          <span className="flex items-center gap-1 text-xs font-medium text-amber-500">
            <Trophy className="size-3.5" />
            Winner
          </span>
        ) : null}
        {arena.winnerSessionId ? null : (
          <Button
            size="sm"
            disabled={!kept || picking}
            title={
              session.status === 'failed'
                ? 'It failed: it cannot win'
                : 'Queue its changes for review and end the others'
            }
            onClick={pick}
          >
            {picking ? <Spinner /> : <Trophy />}
            Pick this one
          </Button>
        )}
      </div>
      <dl
        aria-label="Stats"
        className="text-muted-foreground border-border grid shrink-0 grid-cols-4 gap-1 border-b px-2 py-1 text-xs"
      >
        <Stat label="Time" value={isBusy(session) ? '…' : formatDuration(entrant.durationMs)} />
        <Stat label="Tokens" value={formatTokens(tokens)} />
        <Stat label="Cost" value={formatCost(session.costMicros)} />
        <Stat label="Files" value={files === null ? '–' : String(files.length)} />
      </dl>
      {run ? <AgentRunView run={run} /> : <div className="flex-1" />}
      <div className="border-border max-h-[45%] shrink-0 overflow-y-auto border-t px-2 py-1.5">
        {files && files.length > 0 ? (
          <>
            <ul aria-label="Files changed" className="font-mono text-xs">
              {files.map((f) => (
                <li key={f.path} className="flex gap-2">
                  <span className="min-w-0 flex-1 truncate">{f.path}</span>
                  {f.binary ? (
                    <span className="text-muted-foreground">binary</span>
                  ) : (
                    <span>
                      <span className="text-green-500">+{f.additions}</span>{' '}
                      <span className="text-red-500">-{f.deletions}</span>
                    </span>
                  )}
                </li>
              ))}
            </ul>
            {kept || session.status !== 'closed' ? (
              <Button
                variant="ghost"
                size="sm"
                aria-expanded={showDiff}
                onClick={() => setShowDiff(!showDiff)}
              >
                {showDiff ? 'Hide diff' : 'Show diff'}
              </Button>
            ) : null}
            {showDiff ? <EntrantDiff arenaId={arena.id} sessionId={session.id} /> : null}
          </>
        ) : (
          <p className="text-muted-foreground text-xs">
            {files === null ? 'Its files are not known.' : 'No files changed.'}
          </p>
        )}
      </div>
    </section>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <div className="min-w-0">
      <dt>{label}</dt>
      <dd className="text-foreground truncate font-mono tabular-nums">{value}</dd>
    </div>
  );
}

function EntrantDiff({ arenaId, sessionId }: { arenaId: string; sessionId: string }) {
  const diff = useArenaDiff(arenaId, sessionId, true);
  if (diff.isError) return <Alert variant="destructive">{errorMessage(diff.error)}</Alert>;
  if (!diff.data) return <Spinner />;
  return (
    <div className="flex flex-col gap-2">
      {diff.data.files.map((f) => (
        <div key={f.path}>
          <p className="font-mono text-xs">{f.path}</p>
          <DiffView path={f.path} hunks={f.hunks} mode="unified" />
        </div>
      ))}
    </div>
  );
}
