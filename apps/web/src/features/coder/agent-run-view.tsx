import { useLayoutEffect, useRef } from 'react';
import { unreachable, type AgentStatus } from '@boocode/protocol';
import { Alert, Spinner, cn } from '@boocode/ui';
import { CheckSquare, Square, SquareDot } from 'lucide-react';
import { formatUsage } from '../../lib/money.ts';
import { Markdown } from '../chat/markdown.tsx';
import { Reasoning } from '../chat/message-parts.tsx';
import { PermissionRequest } from './agent-permission.tsx';
import { isBusy, type AgentRunState, type PlanItem, type RunItem } from './agent-run-state.ts';
import { AgentToolCall } from './agent-tool-call.tsx';

/** How close to the end (px) the reader must be for new output to keep the view at the end. */
const STICK_PX = 80;

/** An agent session's run: prompts, replies, reasoning, tool calls, permissions, the plan. */
export function AgentRunView({ run }: { run: AgentRunState }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const atEnd = useRef(true);
  const busy = isBusy(run.session);
  const last = run.items.length - 1;

  // New output keeps the end in view, unless the reader scrolled up to read.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [run]);

  return (
    <div
      ref={scrollRef}
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX;
      }}
      className="min-h-0 flex-1 overflow-y-auto"
    >
      <div className="mx-auto w-full max-w-3xl px-4 py-3 sm:px-6">
        {run.items.map((item, i) => (
          <RunBlock key={item.seq} item={item} streaming={busy && i === last} />
        ))}
        {run.plan ? <Plan entries={run.plan} /> : null}
        {run.session?.status === 'failed' && run.session.error && !hasError(run) ? (
          <Alert variant="destructive" className="my-2 whitespace-pre-wrap">
            {run.session.error}
          </Alert>
        ) : null}
        <div className="text-muted-foreground mt-2 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
          <RunStatus status={run.session?.status ?? 'starting'} />
          {run.usage ? (
            <span className="font-mono tabular-nums" aria-label="Usage">
              {formatUsage(run.usage.inputTokens, run.usage.outputTokens, run.usage.costMicros)}
            </span>
          ) : null}
        </div>
      </div>
    </div>
  );
}

function hasError(run: AgentRunState): boolean {
  return run.items.some((it) => it.kind === 'error');
}

function RunBlock({ item, streaming }: { item: RunItem; streaming: boolean }) {
  switch (item.kind) {
    case 'prompt':
      return (
        <article aria-label="Prompt" className="flex justify-end py-3">
          <div className="border-border bg-card max-w-[85%] min-w-0 rounded-xl rounded-tr-sm border px-3.5 py-2 text-[15px] leading-7 break-words whitespace-pre-wrap">
            {item.text}
          </div>
        </article>
      );
    case 'message':
      return (
        <article aria-label="Agent message" className="py-1 text-[15px] leading-7">
          <Markdown text={item.text} streaming={streaming} />
        </article>
      );
    case 'reasoning':
      return <Reasoning text={item.text} streaming={false} />;
    case 'tool':
      return (
        <AgentToolCall
          title={item.title}
          toolKind={item.toolKind}
          state={item.state}
          output={item.output}
        />
      );
    case 'permission':
      return (
        <PermissionRequest
          permissionId={item.permissionId}
          title={item.title}
          options={item.options}
          answer={item.answer}
        />
      );
    case 'changes':
      return (
        <div className="text-muted-foreground my-2 text-sm">
          {item.paths.length > 0 && (
            <p>
              Changed: <span className="font-mono text-xs">{item.paths.join(', ')}</span> — review
              on the right
            </p>
          )}
          {item.skipped.length > 0 && (
            <ul aria-label="Changes not queued">
              {item.skipped.map((s) => (
                <li key={s.path}>
                  Not queued: <span className="font-mono text-xs">{s.path}</span> ({s.reason})
                </li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'done':
      // The usual end of a turn says nothing; a stop or a limit says why.
      return item.stopReason === 'end_turn' ? null : (
        <p className="text-muted-foreground my-2 text-xs">
          {TURN_END[item.stopReason] ?? `Turn ended: ${item.stopReason}`}
        </p>
      );
    case 'error':
      return (
        <Alert variant="destructive" className="my-2 whitespace-pre-wrap">
          {item.message}
        </Alert>
      );
    default:
      return unreachable(item);
  }
}

function Plan({ entries }: { entries: PlanItem[] }) {
  return (
    <section aria-label="Plan" className="border-border/60 bg-muted/30 my-2 rounded-md border">
      <h3 className="text-muted-foreground px-3 pt-2 text-xs font-medium">Plan</h3>
      <ul className="space-y-0.5 px-3 py-2 text-sm">
        {entries.map((e, i) => {
          const Icon =
            e.status === 'completed'
              ? CheckSquare
              : e.status === 'in_progress'
                ? SquareDot
                : Square;
          return (
            <li
              key={i}
              role="checkbox"
              aria-checked={
                e.status === 'completed' ? true : e.status === 'in_progress' ? 'mixed' : false
              }
              aria-readonly="true"
              className={cn(
                'flex items-start gap-2',
                e.status === 'completed' && 'text-muted-foreground line-through',
              )}
            >
              <Icon aria-hidden="true" className="mt-1 size-3.5 shrink-0" />
              <span className="min-w-0 break-words">{e.content}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

const STATUS_TEXT: Record<AgentStatus, string> = {
  starting: 'Starting',
  running: 'Running',
  idle: 'Idle',
  failed: 'Failed',
  closed: 'Closed',
};

function RunStatus({ status }: { status: AgentStatus }) {
  const busy = status === 'starting' || status === 'running';
  return (
    <span role="status" aria-label="Agent status" className="inline-flex items-center gap-1.5">
      {busy ? <Spinner className="size-3 border" /> : null}
      {STATUS_TEXT[status]}
    </span>
  );
}

/** The ends of a turn worth a sentence of their own. */
const TURN_END: Record<string, string> = {
  cancelled: 'Turn stopped.',
  interrupted: 'Turn cut short: boocode restarted. Send a prompt to go on in this session.',
};
