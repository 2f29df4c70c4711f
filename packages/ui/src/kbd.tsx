import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

/** A keyboard key hint. */
export function Kbd({ className, ...props }: ComponentProps<'kbd'>) {
  return (
    <kbd
      className={cn(
        'border-border bg-muted text-muted-foreground inline-flex h-5 min-w-5 items-center justify-center rounded border px-1 font-mono text-[11px]',
        className,
      )}
      {...props}
    />
  );
}
