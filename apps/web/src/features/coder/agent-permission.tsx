import { useState, type ReactNode } from 'react';
import type { PermissionOption } from '@boocode/protocol';
import { Button, Spinner, cn } from '@boocode/ui';
import { ShieldQuestion } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { answerPermission } from './agent-api.ts';

interface Props {
  permissionId: string;
  title: string;
  options: PermissionOption[];
  /** Undefined while it waits; then the option picked, or null when it was cancelled. */
  answer?: string | null;
  /** Under the title: where it comes from (the inbox says which agent and project). */
  detail?: ReactNode;
  className?: string;
}

/**
 * An agent asks before it acts: the request's title and one button per option it offers. Once
 * resolved, the answer instead of the buttons. Answering is one POST; a request answered
 * elsewhere first (409) is not the user's error: its resolution shows the answer.
 */
export function PermissionRequest({
  permissionId,
  title,
  options,
  answer,
  detail,
  className,
}: Props) {
  const [sending, setSending] = useState<string | null>(null);
  const waiting = answer === undefined;

  const pick = (optionId: string) => {
    setSending(optionId);
    answerPermission(permissionId, optionId).then(
      // Kept disabled after a success: the resolution (or the inbox's new list) follows.
      (answered) => {
        if (!answered) setSending(null);
      },
      (err: unknown) => {
        setSending(null);
        toastError(errorMessage(err));
      },
    );
  };

  return (
    <div
      role="group"
      aria-label="Permission request"
      className={cn(
        'my-2 rounded-md border px-3 py-2 text-sm',
        waiting ? 'border-warning/50 bg-warning/10' : 'border-border/60 bg-muted/30',
        className,
      )}
    >
      <div className="flex items-start gap-2">
        <ShieldQuestion aria-hidden="true" className="text-warning mt-0.5 size-4 shrink-0" />
        <div className="min-w-0 flex-1">
          <p className="font-medium break-words">{title}</p>
          {detail ? <div className="text-muted-foreground text-xs">{detail}</div> : null}
        </div>
      </div>
      {waiting ? (
        <div className="mt-2 flex flex-wrap gap-1.5">
          {options.map((o) => (
            <Button
              key={o.id}
              size="sm"
              variant={o.kind.startsWith('reject') ? 'outline' : 'default'}
              disabled={sending !== null}
              onClick={() => pick(o.id)}
            >
              {sending === o.id ? <Spinner className="size-3 border" /> : null}
              {o.name || o.id}
            </Button>
          ))}
        </div>
      ) : (
        <p className="text-muted-foreground mt-1 text-xs">{answerText(options, answer)}</p>
      )}
    </div>
  );
}

function answerText(options: PermissionOption[], answer: string | null): string {
  if (answer === null) return 'Cancelled';
  const option = options.find((o) => o.id === answer);
  return `Answered: ${option?.name || answer}`;
}
