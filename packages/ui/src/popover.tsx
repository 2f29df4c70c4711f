import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button, type ButtonProps } from './button.tsx';
import { cn } from './cn.ts';

interface PopoverProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The trigger button; its accessible name should say what the panel is for. */
  trigger: Omit<ButtonProps, 'onClick'>;
  /** The panel's accessible name. */
  label: string;
  /** Which edge of the trigger the panel lines up with. */
  align?: 'start' | 'end';
  /** Where the panel opens: under the trigger, or above it (a trigger low on the screen). */
  side?: 'bottom' | 'top';
  className?: string;
  children: ReactNode;
}

/**
 * A button and a small non-modal panel under it. Esc or a press outside closes it.
 */
export function Popover({
  open,
  onOpenChange,
  trigger,
  label,
  align = 'end',
  side = 'bottom',
  className,
  children,
}: PopoverProps) {
  const id = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) onOpenChange(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, onOpenChange]);

  // Closing unmounts whatever had the focus (Esc, or a form that closes on success): give it
  // back to the button rather than lose it to the page.
  const wasOpen = useRef(open);
  useEffect(() => {
    const active = document.activeElement;
    if (wasOpen.current && !open && (!active || active === document.body)) {
      triggerRef.current?.focus();
    }
    wasOpen.current = open;
  }, [open]);

  return (
    <div ref={rootRef} className="relative flex shrink-0">
      <Button
        {...trigger}
        ref={triggerRef}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? id : undefined}
        onClick={() => onOpenChange(!open)}
      />
      {open ? (
        <div
          id={id}
          role="dialog"
          aria-label={label}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            // Inner widgets that use Esc themselves (a confirm step) stop its propagation.
            e.preventDefault();
            onOpenChange(false);
          }}
          className={cn(
            'border-border bg-popover text-popover-foreground absolute z-40 w-80 max-w-[calc(100vw-1rem)] rounded-lg border p-3 shadow-xl shadow-black/40',
            side === 'bottom' ? 'top-full mt-1.5' : 'bottom-full mb-1.5',
            align === 'end' ? 'right-0' : 'left-0',
            className,
          )}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}
