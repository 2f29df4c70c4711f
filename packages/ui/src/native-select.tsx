import type { ComponentProps } from 'react';
import { cn } from './cn.ts';

/** A styled native `<select>`: keyboard and screen-reader behaviour come from the browser. */
export function NativeSelect({ className, ...props }: ComponentProps<'select'>) {
  return (
    <select
      className={cn(
        'border-input bg-input/40 text-foreground focus-visible:border-ring focus-visible:ring-ring/30 h-8 max-w-full min-w-0 cursor-pointer truncate rounded-md border pr-7 pl-2.5 text-sm outline-none focus-visible:ring-2 disabled:cursor-not-allowed disabled:opacity-50',
        'appearance-none bg-[length:14px] bg-[right_0.5rem_center] bg-no-repeat',
        "bg-[url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%239ca3af' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'%3E%3Cpath d='m6 9 6 6 6-6'/%3E%3C/svg%3E\")]",
        className,
      )}
      {...props}
    />
  );
}
