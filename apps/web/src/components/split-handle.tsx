import { useEffect, type ComponentProps } from 'react';
import { Separator } from 'react-resizable-panels';
import { cn } from '@boocode/ui';

/**
 * The line between two panels of a group: 1 px to see, 9 px to grab. It is stacked above
 * the panels' content (z-10), so the grab area reaches over both neighbours: the library
 * only starts a drag when the element under the pointer is not stacked over the separator.
 * `orientation` is the group's: a horizontal group has a vertical line.
 */
export function SplitHandle({
  orientation,
  className,
  ...props
}: { orientation: 'horizontal' | 'vertical' } & ComponentProps<typeof Separator>) {
  useEffect(keepFocusOnDrag, []);
  return (
    <Separator
      className={cn(
        'bg-border relative z-10 shrink-0 transition-colors outline-none',
        'data-[separator=active]:bg-primary data-[separator=focus]:bg-primary data-[separator=hover]:bg-primary/60',
        orientation === 'horizontal'
          ? 'w-px before:absolute before:inset-y-0 before:-left-1 before:w-[9px]'
          : 'h-px before:absolute before:inset-x-0 before:-top-1 before:h-[9px]',
        className,
      )}
      {...props}
    />
  );
}

let keepingFocus = false;

/**
 * A drag with the pointer leaves the focus where it was (a terminal's keys go on going there):
 * the separator takes it on the press and the library blurs it after the drag. The keyboard
 * can still focus a separator to move it with the arrows. One listener on the window, ahead
 * of the library's own on the document.
 */
function keepFocusOnDrag(): void {
  if (keepingFocus) return;
  keepingFocus = true;
  window.addEventListener(
    'pointerdown',
    (e) => {
      const separator = e.target instanceof Element ? e.target.closest('[role="separator"]') : null;
      const before = document.activeElement;
      if (!separator || !(before instanceof HTMLElement) || before === document.body) return;
      const restore = () =>
        setTimeout(() => {
          const now = document.activeElement;
          if (before.isConnected && (now === document.body || now === separator)) {
            before.focus({ preventScroll: true });
          }
        });
      window.addEventListener('pointerup', restore, { once: true, capture: true });
    },
    true,
  );
}
