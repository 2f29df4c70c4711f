import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

/** A small indeterminate spinner; decorative, so hidden from assistive tech. */
export function Spinner({ className, ...props }: ComponentProps<'span'>) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        'inline-block size-4 animate-spin rounded-full border-2 border-current border-t-transparent',
        className,
      )}
      {...props}
    />
  );
}
