import { Spinner, cn } from '@boocode/ui';
import { ChevronRight } from 'lucide-react';
import type { ToolState } from './agent-run-state.ts';

interface Props {
  title: string;
  /** ACP's kind: read, edit, execute... */
  toolKind: string;
  state: ToolState;
  output: string | null;
}

/**
 * One tool call of an agent, folded to a line until opened: the chat's ToolCall look, for an
 * agent's call, which has a title and a kind rather than a name and JSON arguments, and four
 * states rather than three.
 */
export function AgentToolCall({ title, toolKind, state, output }: Props) {
  return (
    <details
      role="group"
      aria-label={`Tool call ${title}`}
      className="group/tool border-border/60 bg-muted/30 my-2 rounded-md border text-sm"
    >
      <summary className="hover:bg-accent/40 flex cursor-pointer list-none items-center gap-1.5 rounded-md px-2.5 py-1.5 select-none [&::-webkit-details-marker]:hidden">
        <ChevronRight
          aria-hidden="true"
          className="text-muted-foreground size-3.5 shrink-0 transition-transform group-open/tool:rotate-90"
        />
        <span className="min-w-0 flex-1 truncate font-mono text-xs">
          <span className="text-foreground font-medium">{title}</span>
        </span>
        <span className="text-muted-foreground shrink-0 font-mono text-[11px]">{toolKind}</span>
        <StateBadge state={state} />
      </summary>
      <div className="border-border/60 border-t px-2.5 py-2">
        {output ? (
          <pre
            className={cn(
              'bg-code max-h-80 overflow-auto rounded-md border p-2 font-mono text-xs leading-5 break-words whitespace-pre-wrap',
              state === 'failed'
                ? 'border-destructive/40 text-destructive-text'
                : 'border-border/60',
            )}
          >
            {output}
          </pre>
        ) : (
          <p className="text-muted-foreground text-xs">
            {state === 'running' || state === 'pending' ? 'Running…' : '(no output)'}
          </p>
        )}
      </div>
    </details>
  );
}

function StateBadge({ state }: { state: ToolState }) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-1 rounded-full border px-1.5 text-[11px] leading-4',
        (state === 'running' || state === 'pending') && 'border-border text-muted-foreground',
        state === 'done' && 'border-success/30 text-success',
        state === 'failed' && 'border-destructive/40 text-destructive-text',
      )}
    >
      {state === 'running' ? <Spinner className="size-2.5 border" /> : null}
      {state}
    </span>
  );
}
