import type { ComponentProps } from 'react';
import { cva, type VariantProps } from 'class-variance-authority';
import { cn } from './cn.ts';

export const alertVariants = cva('rounded-md border px-3 py-2 text-sm leading-6', {
  variants: {
    variant: {
      default: 'border-border bg-card text-card-foreground',
      destructive: 'border-destructive/40 bg-destructive/10 text-destructive-text',
      warning: 'border-warning/40 bg-warning/10 text-warning',
    },
  },
  defaultVariants: { variant: 'default' },
});

/** A boxed message; `role` defaults to "alert", pass another role for non-urgent notes. */
export function Alert({
  className,
  variant,
  role = 'alert',
  ...props
}: ComponentProps<'div'> & VariantProps<typeof alertVariants>) {
  return <div role={role} className={cn(alertVariants({ variant }), className)} {...props} />;
}
