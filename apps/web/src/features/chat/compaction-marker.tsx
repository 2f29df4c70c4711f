import type { Message } from '@boocode/protocol';
import { Alert, Spinner } from '@boocode/ui';
import { ChevronRight, FoldVertical } from 'lucide-react';
import { formatTokens } from '../../lib/money.ts';
import { Markdown } from './markdown.tsx';

/**
 * Where a chat was compacted: what the model sees from here on is the summary in
 * place of the older turns (which stay above, as they were). While the summary is
 * written it shows as progress; a rejected one says why.
 */
export function CompactionMarker({ message }: { message: Message }) {
  const part = message.parts.find((p) => p.type === 'compaction');
  const streamed = message.parts
    .map((p) => (p.type === 'text' ? p.text : ''))
    .join('')
    .trim();
  const error = message.parts.find((p) => p.type === 'error');
  return (
    <article aria-label="compaction" aria-busy={message.status === 'streaming'} className="py-3">
      <div className="text-muted-foreground flex items-center gap-2 text-xs">
        <span aria-hidden="true" className="bg-border h-px flex-1" />
        <FoldVertical aria-hidden="true" className="size-3.5" />
        {message.status === 'streaming' ? (
          <span role="status" className="inline-flex items-center gap-1.5">
            <Spinner className="size-3" />
            Compacting the conversation…
          </span>
        ) : part?.type === 'compaction' ? (
          <span>
            Compacted{part.auto ? ' automatically' : ''}: {part.summarised} earlier{' '}
            {part.summarised === 1 ? 'message' : 'messages'} summarised
            {part.tokensBefore ? ` (context was ${formatTokens(part.tokensBefore)} tokens)` : ''}
          </span>
        ) : (
          <span>Compaction did not happen</span>
        )}
        <span aria-hidden="true" className="bg-border h-px flex-1" />
      </div>
      {part?.type === 'compaction' ? (
        <details className="group/summary border-border/60 bg-muted/30 mx-auto mt-2 max-w-2xl rounded-md border">
          <summary className="text-muted-foreground hover:text-foreground flex cursor-pointer list-none items-center gap-1.5 px-3 py-1.5 text-xs font-medium select-none [&::-webkit-details-marker]:hidden">
            <ChevronRight
              aria-hidden="true"
              className="size-3.5 transition-transform group-open/summary:rotate-90"
            />
            Summary
          </summary>
          <div className="px-3 pb-2 text-sm leading-6">
            <Markdown text={part.summary} streaming={false} />
          </div>
        </details>
      ) : message.status === 'streaming' && streamed ? (
        <p className="text-muted-foreground mx-auto mt-2 line-clamp-3 max-w-2xl text-xs">
          {streamed}
        </p>
      ) : error?.type === 'error' ? (
        <Alert variant="destructive" className="mx-auto mt-2 max-w-2xl text-sm">
          {error.text}
        </Alert>
      ) : null}
    </article>
  );
}
