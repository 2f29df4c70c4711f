import type { ToolCallPart, ToolResultPart } from '@boocode/protocol';
import { Spinner, cn } from '@boocode/ui';
import { ChevronRight } from 'lucide-react';
import { formatTokens } from '../../lib/money.ts';
import { LinkedText } from '../code/code-link-anchor.tsx';

/** Argument names that say best what a call is about, most telling first. */
const TELLING = ['pattern', 'query', 'path', 'file', 'command', 'url', 'glob', 'name'];

/** The argument worth showing next to the tool's name, when the args are a JSON object. */
export function tellingArg(args: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return null; // still being written, or not JSON: the name alone says enough
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const obj = parsed as Record<string, unknown>;
  for (const key of TELLING) {
    const v = obj[key];
    if (typeof v === 'string' && v) return v;
  }
  const firstString = Object.values(obj).find((v) => typeof v === 'string' && v);
  return typeof firstString === 'string' ? firstString : null;
}

/** Pretty JSON for the expanded view; the raw text when it does not parse. */
function prettyArgs(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

interface Props {
  /** Null for a result whose call is not in the message (shown on its own). */
  call: ToolCallPart | null;
  result: ToolResultPart | null;
}

/** One tool call and, once it is back, its result: folded to a line until opened. */
export function ToolCall({ call, result }: Props) {
  const name = call?.name ?? result?.name ?? 'tool';
  const arg = call ? tellingArg(call.args) : null;
  const state = call?.state ?? (result?.ok === false ? 'error' : 'done');

  return (
    <details
      role="group"
      aria-label={`Tool call ${name}`}
      className="group/tool border-border/60 bg-muted/30 my-2 rounded-md border text-sm"
    >
      <summary className="hover:bg-accent/40 flex cursor-pointer list-none items-center gap-1.5 rounded-md px-2.5 py-1.5 select-none [&::-webkit-details-marker]:hidden">
        <ChevronRight
          aria-hidden="true"
          className="text-muted-foreground size-3.5 shrink-0 transition-transform group-open/tool:rotate-90"
        />
        <span className="min-w-0 flex-1 truncate font-mono text-xs">
          <span className="text-foreground font-medium">{name}</span>
          {arg ? <span className="text-muted-foreground"> {arg}</span> : null}
        </span>
        {result?.tokens != null ? (
          <span
            className="text-muted-foreground shrink-0 font-mono text-[11px] tabular-nums"
            title="Prompt tokens this result added to the next model call"
          >
            +{formatTokens(result.tokens)} tokens
          </span>
        ) : null}
        <StateBadge state={state} />
      </summary>
      <div className="border-border/60 space-y-2 border-t px-2.5 py-2">
        {call && call.args.trim() && call.args.trim() !== '{}' ? (
          <div className="text-muted-foreground max-h-40 overflow-auto font-mono text-xs whitespace-pre-wrap">
            {prettyArgs(call.args)}
          </div>
        ) : null}
        {result ? (
          <pre
            className={cn(
              'bg-code max-h-80 overflow-auto rounded-md border p-2 font-mono text-xs leading-5 break-words whitespace-pre-wrap',
              result.ok ? 'border-border/60' : 'border-destructive/40 text-destructive-text',
            )}
          >
            {result.text ? <LinkedText text={result.text} /> : '(no output)'}
          </pre>
        ) : null}
        {result?.images?.length ? (
          <div className="flex flex-wrap gap-2">
            {result.images.map((img, i) => (
              <img
                key={i}
                src={`data:${img.mimeType};base64,${img.data}`}
                alt={`Image ${i + 1} from ${name}`}
                className="border-border/60 max-h-80 max-w-full rounded-md border bg-white object-contain"
              />
            ))}
          </div>
        ) : null}
        {!result && state === 'running' ? (
          <p className="text-muted-foreground text-xs">Running…</p>
        ) : null}
      </div>
    </details>
  );
}

function StateBadge({ state }: { state: ToolCallPart['state'] }) {
  return (
    <span
      className={cn(
        'inline-flex shrink-0 items-center gap-1 rounded-full border px-1.5 text-[11px] leading-4',
        state === 'running' && 'border-border text-muted-foreground',
        state === 'done' && 'border-success/30 text-success',
        state === 'error' && 'border-destructive/40 text-destructive-text',
      )}
    >
      {state === 'running' ? <Spinner className="size-2.5 border" /> : null}
      {state}
    </span>
  );
}
