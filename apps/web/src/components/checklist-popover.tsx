import type { ReactNode } from 'react';
import { cn } from '@boocode/ui';
import { InfoPopover, type InfoPopoverProps } from './info-popover.tsx';

export interface ChecklistItem {
  id: string;
  /** The checkbox's name. */
  label: string;
  checked: boolean;
  /** A tooltip for the row (a project's path). */
  title?: string;
  /** Written in the code font (a server's name). */
  mono?: boolean;
  /** After the label, and part of the checkbox's name (a server's tool count). */
  detail?: ReactNode;
}

interface Props extends Omit<InfoPopoverProps, 'children'> {
  items: ChecklistItem[];
  onCheckedChange: (id: string, checked: boolean) => void;
  /** Said instead of the list when it is empty. */
  empty: string;
}

/** An icon button whose panel is a list of things to turn on or off, each a checkbox. */
export function ChecklistPopover({ items, onCheckedChange, empty, ...popover }: Props) {
  return (
    <InfoPopover {...popover}>
      {items.length === 0 ? (
        <p className="text-muted-foreground text-xs">{empty}</p>
      ) : (
        <ul className="max-h-60 space-y-0.5 overflow-y-auto">
          {items.map((item) => (
            <li key={item.id}>
              <label
                title={item.title}
                className="hover:bg-accent flex cursor-pointer items-center gap-2 rounded-md px-1.5 py-1 text-sm"
              >
                <input
                  type="checkbox"
                  className="accent-primary size-3.5"
                  checked={item.checked}
                  onChange={(e) => onCheckedChange(item.id, e.target.checked)}
                />
                <span className={cn('min-w-0 flex-1 truncate', item.mono && 'font-mono text-xs')}>
                  {item.label}
                </span>
                {item.detail}
              </label>
            </li>
          ))}
        </ul>
      )}
    </InfoPopover>
  );
}
