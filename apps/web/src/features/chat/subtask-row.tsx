import { useContext } from 'react';
import {
  DispatchArgs,
  DispatchResult,
  type ToolCallPart,
  type ToolResultPart,
} from '@boocode/protocol';
import { Button, Spinner, cn } from '@boocode/ui';
import { WorkspaceContext } from '../workspace/pane-chrome.tsx';

type SubtaskStatus = 'running' | DispatchResult['status'];

/** The call's status: running until its result, then the result's own (or failed, unreadable). */
export function subtaskStatus(call: ToolCallPart, result: ToolResultPart | null): SubtaskStatus {
  if (!result) return call.state === 'running' ? 'running' : 'failed';
  try {
    return DispatchResult.parse(JSON.parse(result.text)).status;
  } catch {
    return 'failed';
  }
}

/**
 * Boomerang's task tree: one `dispatch` call as a subtask row (provider, the prompt's first line,
 * its status as it goes) with Open, which shows the subtask's session in a coder pane of its own.
 */
export function SubtaskRow({
  call,
  result,
}: {
  call: ToolCallPart;
  result: ToolResultPart | null;
}) {
  const ws = useContext(WorkspaceContext);
  let args: DispatchArgs | null = null;
  try {
    args = DispatchArgs.parse(JSON.parse(call.args));
  } catch {
    // Still being written: the row shows what it has.
  }
  const provider = args?.provider ?? call.subtask?.provider ?? 'agent';
  const firstLine = args?.prompt.split('\n')[0] ?? '';
  const status = subtaskStatus(call, result);
  const error = status === 'failed' && result ? failureOf(result.text) : null;
  const subtask = call.subtask;
  return (
    <div
      role="group"
      aria-label={`Subtask ${provider}`}
      className="border-border/60 bg-muted/30 my-2 flex items-center gap-2 rounded-md border px-2.5 py-1.5 text-sm"
    >
      <span className="shrink-0 font-mono text-xs font-medium">{provider}</span>
      <span
        className="text-muted-foreground min-w-0 flex-1 truncate text-xs"
        title={error ?? firstLine}
      >
        {firstLine}
        {error ? ` — ${error}` : ''}
      </span>
      <span
        role="status"
        aria-label="Subtask status"
        className={cn(
          'inline-flex shrink-0 items-center gap-1 rounded-full border px-1.5 text-[11px] leading-4',
          status === 'running' && 'border-border text-muted-foreground',
          status === 'done' && 'border-success/30 text-success',
          status === 'failed' && 'border-destructive/40 text-destructive-text',
          status === 'cancelled' && 'border-border text-muted-foreground',
        )}
      >
        {status === 'running' ? <Spinner className="size-2.5 border" /> : null}
        {status}
      </span>
      {ws && subtask ? (
        <Button
          variant="outline"
          size="sm"
          className="h-6 px-2 text-xs"
          aria-label={`Open the ${provider} subtask`}
          onClick={() =>
            ws.open({
              kind: 'coder',
              chatId: subtask.chatId,
              projectId: subtask.projectId,
              provider: subtask.provider,
            })
          }
        >
          Open
        </Button>
      ) : null}
    </div>
  );
}

function failureOf(text: string): string | null {
  try {
    return DispatchResult.parse(JSON.parse(text)).error ?? null;
  } catch {
    return text.slice(0, 200);
  }
}
