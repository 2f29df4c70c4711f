import type { ReactNode } from 'react';
import { Popover, Spinner } from '@boocode/ui';

export interface InfoPopoverProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The trigger's accessible name, the panel's, and the panel's heading. */
  label: string;
  /** The trigger's tooltip. */
  title: string;
  /** The trigger's icon. */
  icon: ReactNode;
  /** A line under the heading: what the list is and where it comes from. */
  description: ReactNode;
  /** Still loading: a spinner instead of the content. */
  pending: boolean;
  /** Could not load: this, as an alert, instead of the content. */
  error: string | null;
  children: ReactNode;
}

/**
 * An icon button of a chat's header and the panel it opens: a heading, a line saying what it
 * lists, then the list once it has loaded (or why it did not).
 */
export function InfoPopover({
  open,
  onOpenChange,
  label,
  title,
  icon,
  description,
  pending,
  error,
  children,
}: InfoPopoverProps) {
  return (
    <Popover
      open={open}
      onOpenChange={onOpenChange}
      label={label}
      trigger={{ variant: 'ghost', size: 'icon', 'aria-label': label, title, children: icon }}
    >
      <h2 className="text-xs font-medium">{label}</h2>
      <p className="text-muted-foreground mt-0.5 mb-2 text-xs">{description}</p>
      {pending ? (
        <div className="text-muted-foreground flex justify-center py-2">
          <Spinner />
          <span className="sr-only">Loading…</span>
        </div>
      ) : error !== null ? (
        <p role="alert" className="text-destructive-text text-xs">
          {error}
        </p>
      ) : (
        children
      )}
    </Popover>
  );
}
