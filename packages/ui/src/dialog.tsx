import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from './button.tsx';
import { cn } from './cn.ts';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The heading, which also names the dialog. */
  title: string;
  description?: ReactNode;
  className?: string;
  children: ReactNode;
}

/**
 * A modal dialog on the native `<dialog>`: focus kept inside, Esc and the close button
 * close it, the page behind is inert; the focus goes back where it was.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  className,
  children,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={() => onOpenChange(false)}
      onCancel={(e) => {
        // Inner widgets that use Esc themselves stop its propagation; the rest closes.
        e.preventDefault();
        onOpenChange(false);
      }}
      onPointerDown={(e) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (e.target === ref.current) onOpenChange(false);
      }}
      className={cn(
        'border-border bg-popover text-popover-foreground m-auto max-h-[min(90vh,56rem)] w-[min(48rem,calc(100vw-1rem))] overflow-hidden rounded-xl border p-0 shadow-2xl shadow-black/60 backdrop:bg-black/60',
        className,
      )}
    >
      {open ? (
        <div className="flex max-h-[inherit] flex-col">
          <div className="border-border flex shrink-0 items-start gap-3 border-b px-5 py-3">
            <div className="min-w-0 flex-1">
              <h2 id={titleId} className="text-base font-semibold">
                {title}
              </h2>
              {description ? (
                <div className="text-muted-foreground mt-0.5 text-xs">{description}</div>
              ) : null}
            </div>
            <Button
              variant="ghost"
              size="icon"
              aria-label="Close"
              title="Close (Esc)"
              onClick={() => onOpenChange(false)}
            >
              <svg
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
                strokeLinecap="round"
                strokeLinejoin="round"
                aria-hidden="true"
              >
                <path d="M18 6 6 18M6 6l12 12" />
              </svg>
            </Button>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
        </div>
      ) : null}
    </dialog>
  );
}
