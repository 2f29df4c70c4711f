import type { CallDirection, GraphCallEdge, GraphLocation } from '@boocode/protocol';
import { Button, NativeSelect, Spinner, cn } from '@boocode/ui';
import { errorMessage } from '../../lib/api.ts';
import { useCalls } from './code-api.ts';

interface Props {
  projectId: string;
  /**
   * The name whose calls are shown, picked in the outline, by Go to symbol or under the caret,
   * with the file it was picked in: the definition that file means is the one followed.
   */
  symbol: { name: string; path: string } | null;
  direction: CallDirection;
  depth: number;
  onChange: (next: { direction: CallDirection; depth: number }) => void;
  onOpen: (at: GraphLocation) => void;
}

/** A symbol's callers or callees to a depth, each call site a link into this pane. */
export function CallsPanel({ projectId, symbol, direction, depth, onChange, onOpen }: Props) {
  const calls = useCalls(projectId, symbol, direction, depth);
  const name = symbol?.name ?? null;
  return (
    <section aria-label="Calls" className="border-border flex min-h-0 flex-1 flex-col border-t">
      <div className="flex shrink-0 flex-wrap items-center gap-1 px-2 pt-2 pb-1">
        <div role="group" aria-label="Direction" className="flex">
          {(['callers', 'callees'] as const).map((d) => (
            <Button
              key={d}
              size="sm"
              variant={direction === d ? 'secondary' : 'ghost'}
              aria-pressed={direction === d}
              className="h-6 px-2 text-xs"
              onClick={() => onChange({ direction: d, depth })}
            >
              {d === 'callers' ? 'Callers' : 'Callees'}
            </Button>
          ))}
        </div>
        <NativeSelect
          aria-label="Depth"
          title="How many calls deep"
          className="ml-auto h-6 w-auto shrink-0 pr-6 text-xs"
          value={depth}
          onChange={(e) => onChange({ direction, depth: Number(e.target.value) })}
        >
          {[1, 2, 3].map((d) => (
            <option key={d} value={d}>
              depth {d}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto px-2 pb-2 text-xs">
        {name === null ? (
          <p className="text-muted-foreground px-1">
            Pick a symbol in the outline, or click a name in the file, to see its callers and
            callees.
          </p>
        ) : calls.isPending ? (
          <Spinner className="m-1 size-3" />
        ) : calls.isError ? (
          <p role="alert" className="text-destructive-text px-1">
            {errorMessage(calls.error)}
          </p>
        ) : (
          <>
            <p className="px-1 pb-1">
              {direction === 'callers' ? 'Callers of ' : 'Callees of '}
              <span className="font-mono font-medium">{name}</span>
              <span className="text-muted-foreground"> · {calls.data.edges.length} calls</span>
            </p>
            {calls.data.edges.length === 0 ? (
              <p className="text-muted-foreground px-1">
                {direction === 'callers' ? 'No callers' : 'No calls'} found in the index.
              </p>
            ) : (
              <ul aria-label={direction === 'callers' ? 'Callers' : 'Callees'}>
                {calls.data.edges.map((e, i) => (
                  <Edge key={i} edge={e} direction={direction} onOpen={onOpen} />
                ))}
              </ul>
            )}
            {calls.data.truncated ? (
              <p className="text-muted-foreground px-1 pt-1">
                More calls not shown: lower the depth.
              </p>
            ) : null}
            <Notes notes={calls.data.notes} />
          </>
        )}
      </div>
    </section>
  );
}

function Edge(props: { edge: GraphCallEdge; direction: CallDirection; onOpen: Props['onOpen'] }) {
  const { edge, direction, onOpen } = props;
  const far = direction === 'callers' ? edge.from : edge.to;
  const at = `${edge.site.path}:${edge.site.line}`;
  return (
    <li
      className="flex items-center gap-1.5 py-0.5 font-mono"
      style={{ paddingLeft: `${(edge.depth - 1) * 12 + 4}px` }}
    >
      <span
        className={cn('max-w-1/2 shrink-0 truncate', edge.depth > 1 && 'text-muted-foreground')}
      >
        {far}
        {edge.member ? <span className="text-muted-foreground"> (member)</span> : null}
      </span>
      {/* A long path is cut at its start, so the file name and line stay in view. */}
      <button
        type="button"
        title={`Open ${at}`}
        dir="rtl"
        className="text-primary ml-auto min-w-0 truncate text-left hover:underline"
        onClick={() => onOpen(edge.site)}
      >
        <span dir="ltr">{at}</span>
      </button>
    </li>
  );
}

/** Why an answer may be incomplete, as the server said it. */
export function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <ul aria-label="Notes" className="text-muted-foreground mt-2 space-y-0.5 px-1 text-[11px]">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}
