import { useCallback, useEffect, useId, useRef, type ReactNode } from 'react';
import { autoUpdate, flip, offset, shift, size, useFloating } from '@floating-ui/react-dom';
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
  /**
   * Where the panel opens: under the trigger, or above it (a trigger low on the screen). It
   * turns to the other side, slides along and scrolls within itself to stay in the window.
   */
  side?: 'bottom' | 'top';
  className?: string;
  children: ReactNode;
}

/**
 * A button and a small non-modal panel under it. Esc or a press outside closes it. The panel
 * is placed by floating-ui, fixed to the window: a scrolling list or the sidebar's edge does
 * not cut it off.
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
  const {
    refs: { setReference, setFloating },
    floatingStyles,
  } = useFloating({
    open,
    placement: `${side}-${align}`,
    strategy: 'fixed',
    middleware: [
      offset(6),
      flip({ padding: 8 }),
      shift({ padding: 8 }),
      size({
        padding: 8,
        apply({ availableHeight, elements }) {
          elements.floating.style.maxHeight = `${Math.max(120, availableHeight)}px`;
        },
      }),
    ],
    whileElementsMounted: autoUpdate,
  });
  // One ref for the trigger, kept across renders (a new one each time would detach and attach it).
  const setTrigger = useCallback(
    (el: HTMLButtonElement | null) => {
      triggerRef.current = el;
      setReference(el);
    },
    [setReference],
  );

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
        ref={setTrigger}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-controls={open ? id : undefined}
        onClick={() => onOpenChange(!open)}
      />
      {open ? (
        <div
          ref={setFloating}
          style={floatingStyles}
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
            'border-border bg-popover text-popover-foreground z-40 w-80 max-w-[calc(100vw-1rem)] overflow-y-auto rounded-lg border p-3 shadow-xl shadow-black/40',
            className,
          )}
        >
          {children}
        </div>
      ) : null}
    </div>
  );
}
