import { Button, cn } from '@boocode/ui';

interface Props {
  /** "Delete “Walrus facts”?" */
  question: string;
  /** A tooltip on the question: what the step does, or the name in full. */
  hint?: string;
  /** The destructive button: "Confirm delete". */
  confirmLabel: string;
  pending: boolean;
  onConfirm: () => void;
  /**
   * Left without confirming: by Esc or Cancel (`byUser`, the focus should go back to the row),
   * or because the focus moved elsewhere (it stays where it went).
   */
  onCancel: (byUser: boolean) => void;
  /** The question on a line of its own, above the buttons, so a long name stays readable. */
  stacked?: boolean;
  className?: string;
}

/**
 * The second step of a destructive action: the question, a confirm button that takes the focus,
 * and Cancel. Esc cancels (and goes no further: not the popover or dialog around it). It
 * closes when the focus leaves it, so only one question is open at a time.
 */
export function ConfirmQuestion({
  question,
  hint,
  confirmLabel,
  pending,
  onConfirm,
  onCancel,
  stacked = false,
  className,
}: Props) {
  return (
    <div
      className={cn('flex items-center gap-1', stacked && 'w-full flex-wrap', className)}
      onBlur={(e) => {
        if (!pending && !e.currentTarget.contains(e.relatedTarget)) onCancel(false);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        e.stopPropagation();
        onCancel(true);
      }}
    >
      <span
        className={cn(
          'text-muted-foreground truncate text-xs',
          stacked ? 'w-full' : 'min-w-0 flex-1',
        )}
        title={hint}
      >
        {question}
      </span>
      <Button variant="destructive" size="sm" autoFocus disabled={pending} onClick={onConfirm}>
        {confirmLabel}
      </Button>
      <Button variant="ghost" size="sm" onClick={() => onCancel(true)}>
        Cancel
      </Button>
    </div>
  );
}
