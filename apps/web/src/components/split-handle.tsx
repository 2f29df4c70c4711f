import type { ComponentProps } from 'react';
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
