import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

/** A single-line text field. */
export function Input({ className, type = 'text', ...props }: ComponentProps<'input'>) {
  return (
    <input
      type={type}
      className={cn(
        'border-input bg-input/40 text-foreground placeholder:text-muted-foreground focus-visible:border-ring focus-visible:ring-ring/30 flex h-8 w-full min-w-0 rounded-md border px-2.5 text-sm transition-colors outline-none focus-visible:ring-2 disabled:opacity-50',
        '[&::-webkit-search-cancel-button]:appearance-none',
        className,
      )}
      {...props}
    />
  );
}
