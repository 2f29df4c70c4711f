import { memo, useId, useState } from 'react';
import type { Message } from '@boocode/protocol';
import { Button, Textarea, cn } from '@boocode/ui';
import { ChevronDown, GitFork, Pencil, RotateCcw } from 'lucide-react';
import { formatUsage } from '../../lib/money.ts';
import { CopyButton } from './copy-button.tsx';
import { CompactionMarker } from './compaction-marker.tsx';
import { MessageParts } from './message-parts.tsx';

export interface MessageActions {
  onEditStart: (messageId: string) => void;
  onEditCancel: () => void;
  onEditSave: (messageId: string, content: string) => void;
  onRegenerate: () => void;
  /** Copies the chat up to and including this message into a new chat and opens it. */
  onFork: (messageId: string) => Promise<void>;
}

interface Props extends MessageActions {
  message: Message;
  editing: boolean;
  /** The last assistant reply with nothing running: it can be regenerated. */
  canRegenerate: boolean;
}

/** One message of the list: an article named by its role. */
export const MessageItem = memo(function MessageItem(props: Props) {
  const { message } = props;
  if (message.role === 'user') return <UserMessage {...props} />;
  if (message.role === 'system') return <CompactionMarker message={message} />;
  return <AssistantMessage {...props} />;
});

function textOf(message: Message): string {
  return message.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('\n\n');
}

/** Shown on hover or focus; always, on a screen without hover (touch). */
const revealOnHover =
  'opacity-0 transition-opacity group-focus-within/msg:opacity-100 group-hover/msg:opacity-100 [@media(hover:none)]:opacity-100';

function UserMessage({ message, editing, onEditStart, onEditCancel, onEditSave, onFork }: Props) {
  const text = textOf(message);
  return (
    <article aria-label="user message" className="group/msg flex justify-end py-3">
      {editing ? (
        <EditForm
          initial={text}
          onCancel={onEditCancel}
          onSave={(content) => onEditSave(message.id, content)}
        />
      ) : (
        <div className="flex max-w-[85%] items-start gap-1">
          <div className={cn('mt-2 flex shrink-0 items-center gap-0.5', revealOnHover)}>
            <ForkButton message={message} onFork={onFork} />
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Edit message"
              title="Edit message"
              onClick={() => onEditStart(message.id)}
            >
              <Pencil />
            </Button>
          </div>
          <div className="border-border bg-card min-w-0 rounded-xl rounded-tr-sm border px-3.5 py-2 text-[15px] leading-7 break-words whitespace-pre-wrap">
            {text}
          </div>
        </div>
      )}
    </article>
  );
}

function EditForm({
  initial,
  onCancel,
  onSave,
}: {
  initial: string;
  onCancel: () => void;
  onSave: (content: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const empty = value.trim() === '';
  return (
    <form
      className="flex w-full max-w-[85%] flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!empty) onSave(value);
      }}
    >
      <Textarea
        aria-label="Edit message text"
        value={value}
        autoFocus
        rows={Math.min(12, Math.max(3, value.split('\n').length))}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <div className="flex justify-end gap-2">
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={empty}>
          Save and send
        </Button>
      </div>
    </form>
  );
}

function AssistantMessage({ message, canRegenerate, onRegenerate, onFork }: Props) {
  const streaming = message.status === 'streaming';
  // A running tool shows its own spinner; the dots come back while the model writes again.
  const toolRunning = message.parts.some((p) => p.type === 'tool_call' && p.state === 'running');
  const label = message.role === 'system' ? 'system message' : 'assistant message';
  return (
    <article aria-label={label} aria-busy={streaming} className="group/msg py-3">
      <div
        className={cn('min-w-0 text-[15px] leading-7', message.role === 'system' && 'opacity-70')}
      >
        <MessageParts message={message} />
        {streaming && !toolRunning ? <TypingIndicator /> : null}
      </div>
      <StatusNote message={message} />
      {streaming ? (
        <div className="mt-1 flex min-h-6 items-center">
          <ForkButton message={message} onFork={onFork} className={revealOnHover} />
        </div>
      ) : (
        <ReplyFooter
          message={message}
          canRegenerate={canRegenerate}
          onRegenerate={onRegenerate}
          onFork={onFork}
        />
      )}
    </article>
  );
}

/** The line under a finished reply: its usage and cost, model, and actions. */
function ReplyFooter({
  message,
  canRegenerate,
  onRegenerate,
  onFork,
}: Pick<Props, 'message' | 'canRegenerate' | 'onRegenerate' | 'onFork'>) {
  const [callsOpen, setCallsOpen] = useState(false);
  const callsId = useId();
  const { usage, calls } = message;
  const summary = usage
    ? formatUsage(usage.promptTokens, usage.completionTokens, message.costMicros)
    : null;
  // A tool loop asks the model several times: each request is listed on demand.
  const callLines =
    calls.length > 1
      ? calls.map(
          (c, i) =>
            `call ${i + 1}: ${formatUsage(c.promptTokens, c.completionTokens, c.costMicros)}`,
        )
      : null;
  return (
    <div className="text-muted-foreground mt-1 text-xs">
      <div className="flex min-h-6 items-center gap-1">
        {summary && callLines ? (
          <button
            type="button"
            aria-expanded={callsOpen}
            aria-controls={callsOpen ? callsId : undefined}
            title={callLines.join('\n')}
            onClick={() => setCallsOpen((o) => !o)}
            className="hover:text-foreground focus-visible:ring-ring mr-1 inline-flex cursor-pointer items-center gap-0.5 rounded-sm font-mono whitespace-nowrap tabular-nums outline-none focus-visible:ring-2"
          >
            {summary}
            <ChevronDown
              aria-hidden="true"
              className={cn('size-3 transition-transform', callsOpen && 'rotate-180')}
            />
          </button>
        ) : summary ? (
          <span className="mr-1 font-mono whitespace-nowrap tabular-nums">{summary}</span>
        ) : null}
        {message.model ? <span className="mr-1 truncate">{message.model}</span> : null}
        <CopyButton text={textOf(message)} label="Copy reply" className={revealOnHover} />
        <ForkButton message={message} onFork={onFork} className={revealOnHover} />
        {canRegenerate ? (
          <Button variant="ghost" size="sm" onClick={onRegenerate}>
            <RotateCcw />
            Regenerate
          </Button>
        ) : null}
      </div>
      {callLines && callsOpen ? (
        <ol
          id={callsId}
          aria-label="Model calls"
          className="border-border/60 mt-1 mb-1 space-y-0.5 border-l pl-2 font-mono tabular-nums"
        >
          {callLines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

/** Disabled while the message is still being written, and while its fork is on the way. */
function ForkButton({
  message,
  onFork,
  className,
}: {
  message: Message;
  onFork: (messageId: string) => Promise<void>;
  className?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      aria-label="Fork from here"
      title="Fork from here"
      disabled={message.status === 'streaming' || busy}
      aria-busy={busy}
      className={className}
      onClick={() => {
        setBusy(true);
        // onFork reports its own errors: it never rejects.
        void onFork(message.id).finally(() => setBusy(false));
      }}
    >
      <GitFork />
    </Button>
  );
}

function StatusNote({ message }: { message: Message }) {
  if (message.status === 'interrupted') {
    return (
      <p className="text-warning mt-2 text-sm">
        Interrupted: the server restarted before this reply finished
      </p>
    );
  }
  if (message.status === 'stopped') {
    return <p className="text-muted-foreground mt-2 text-sm">Stopped</p>;
  }
  return null;
}

function TypingIndicator() {
  return (
    <span role="img" aria-label="Typing" className="mt-1 inline-flex items-center gap-1 py-2">
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          className="bg-muted-foreground size-1.5 animate-pulse rounded-full"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </span>
  );
}
