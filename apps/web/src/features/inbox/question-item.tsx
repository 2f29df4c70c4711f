import { useId, useState } from 'react';
import type { InboxQuestion } from '@boocode/protocol';
import { Button, Spinner } from '@boocode/ui';
import { MessageCircleQuestion } from 'lucide-react';
import { api, ApiError, errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';

/**
 * A question an agent asked in free text (`ask_human`): the question, who asks, and a box for
 * the answer. Answered once; one answered elsewhere first (409) just leaves the Inbox.
 */
export function QuestionItem({ item, project }: { item: InboxQuestion; project: string | null }) {
  const [answer, setAnswer] = useState('');
  const [sending, setSending] = useState(false);
  const id = useId();

  const send = () => {
    const text = answer.trim();
    if (!text || sending) return;
    setSending(true);
    api(`/api/coder/questions/${encodeURIComponent(item.questionId)}/answer`, {
      method: 'POST',
      body: { answer: text },
    }).catch((err: unknown) => {
      setSending(false);
      if (!(err instanceof ApiError && err.status === 409)) toastError(errorMessage(err));
    });
  };

  return (
    <form
      aria-label="Question"
      className="border-warning/50 bg-warning/10 my-2 rounded-md border px-3 py-2 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <p className="flex items-start gap-2">
        <MessageCircleQuestion className="text-warning mt-0.5 size-4 shrink-0" aria-hidden="true" />
        <span id={`${id}-q`} className="min-w-0 whitespace-pre-wrap">
          {item.question}
        </span>
      </p>
      <p className="text-muted-foreground mt-1 text-xs">
        {item.asker} asks{project ? ` · ${project}` : ''}
      </p>
      <textarea
        aria-label={`Answer to ${item.asker}`}
        aria-describedby={`${id}-q`}
        className="border-input bg-background mt-2 w-full resize-y rounded-md border px-2 py-1 text-sm"
        rows={2}
        value={answer}
        disabled={sending}
        onChange={(e) => setAnswer(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            send();
          }
        }}
      />
      <div className="mt-1 flex justify-end">
        <Button type="submit" size="sm" disabled={sending || !answer.trim()}>
          {sending ? <Spinner className="size-3.5" /> : null}
          Answer
        </Button>
      </div>
    </form>
  );
}
