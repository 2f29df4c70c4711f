import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

/** A multi-line text field. */
export function Textarea({ className, ...props }: ComponentProps<'textarea'>) {
  return (
    <textarea
      className={cn(
        'border-input bg-input/40 text-foreground placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/30 flex w-full resize-none rounded-md border px-3 py-2 text-sm leading-6 transition-colors outline-none focus-visible:ring-2 disabled:opacity-50',
        className,
      )}
      {...props}
    />
  );
}
