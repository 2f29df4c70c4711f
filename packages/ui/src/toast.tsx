import type { ComponentProps } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn.ts';

export const toastVariants = cva(
  'pointer-events-auto flex w-80 max-w-[calc(100vw-2rem)] items-start gap-2 rounded-lg border px-3 py-2.5 text-sm shadow-lg shadow-black/40',
  {
    variants: {
      variant: {
        default: 'border-border bg-popover text-popover-foreground',
        destructive: 'border-destructive/50 bg-popover text-destructive-text',
      },
    },
    defaultVariants: { variant: 'default' },
  },
);

/** The fixed corner stack toasts are rendered into. */
export function ToastViewport({ className, ...props }: ComponentProps<'div'>) {
  return (
    <div
      className={cn(
        // Above the message box and its Send/Stop, below the pane headers' buttons.
        'pointer-events-none fixed right-4 bottom-24 z-50 flex flex-col items-end gap-2',
        className,
      )}
      {...props}
    />
  );
}

/** One toast box. */
export function Toast({
  className,
  variant,
  ...props
}: ComponentProps<'div'> & VariantProps<typeof toastVariants>) {
  return <div className={cn(toastVariants({ variant }), className)} {...props} />;
}
