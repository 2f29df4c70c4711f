import { Input } from '@boocode/ui';

interface Props {
  /** The box's accessible name: "Chat title". */
  label: string;
  value: string;
  maxLength: number;
  pending: boolean;
  /**
   * Save what was typed: by Enter (`byKey`, the focus should go back to the row) or because
   * the box lost the focus to something else (it stays there).
   */
  onSave: (value: string, byKey: boolean) => void;
  /** Esc: nothing is saved. */
  onCancel: () => void;
}

/** An inline box to rename a thing in a list, its text selected, saved by Enter or on leaving. */
export function RenameBox({ label, value, maxLength, pending, onSave, onCancel }: Props) {
  return (
    <Input
      aria-label={label}
      maxLength={maxLength}
      defaultValue={value}
      autoFocus
      disabled={pending}
      onFocus={(e) => e.currentTarget.select()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          onSave(e.currentTarget.value, true);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          // Nothing to save if the box then loses the focus.
          e.currentTarget.value = value;
          onCancel();
        }
      }}
      onBlur={(e) => {
        if (!pending) onSave(e.currentTarget.value, false);
      }}
      className="bg-background h-8"
    />
  );
}
