import { useEffect, useRef, useState, type ReactNode } from 'react';
import { TITLE_MAX } from '@boocode/protocol';
import { Alert, Button, cn } from '@boocode/ui';
import { Pencil, Trash } from 'lucide-react';
import { ConfirmQuestion } from './confirm-question.tsx';
import { RenameBox } from './rename-box.tsx';

interface Props {
  /** The thing's name as shown; the buttons are "Rename <name>", "<verb> <name>". */
  name: string;
  rename: {
    /** The rename box's accessible name: "Chat title". */
    label: string;
    /** The title as stored (may be empty, when `name` is a stand-in). */
    value: string;
    pending: boolean;
    /** Saves a changed, non-empty title; `done` once it is saved. */
    save: (title: string, done: () => void) => void;
    /** Shown under the row after a failed rename. */
    error?: string | null;
  };
  remove: {
    /** "Delete", "Close": the button's and the question's verb. */
    verb: string;
    /** The button's tooltip. */
    title: string;
    /** The question's tooltip: what removing does. Defaults to the name in full. */
    hint?: string;
    pending: boolean;
    confirm: () => void;
  };
  /** The row's buttons shown always, not only on hover or focus (the current chat). */
  pinActions?: boolean;
  className?: string;
  /**
   * The row's own content: a direct child link or button that opens the thing, which gets the
   * focus back when the rename box or the question is done with by key or button.
   */
  children: ReactNode;
}

type Mode = 'view' | 'rename' | 'confirm';

/** A row of a sidebar list with an inline rename and a two-step remove. */
export function EditableRow({ name, rename, remove, pinActions, className, children }: Props) {
  const [mode, setMode] = useState<Mode>('view');
  const row = useRef<HTMLLIElement>(null);
  const refocus = useRef(false);
  const backToView = (focusRow: boolean) => {
    refocus.current = focusRow;
    setMode('view');
  };
  useEffect(() => {
    if (mode !== 'view' || !refocus.current) return;
    refocus.current = false;
    row.current?.querySelector<HTMLElement>(':scope > a, :scope > button')?.focus();
  }, [mode]);

  const save = (value: string, byKey: boolean) => {
    const next = value.trim();
    if (!next || next === rename.value) return backToView(byKey);
    rename.save(next, () => backToView(byKey));
  };

  if (mode === 'rename') {
    return (
      <li className="px-2 py-0.5">
        <RenameBox
          label={rename.label}
          value={rename.value}
          maxLength={TITLE_MAX}
          pending={rename.pending}
          onSave={save}
          onCancel={() => backToView(true)}
        />
      </li>
    );
  }

  return (
    <li
      ref={row}
      className={cn('group/item relative mx-2 flex items-center rounded-md text-sm', className)}
    >
      {mode === 'confirm' ? (
        <ConfirmQuestion
          stacked
          className="py-1 pr-1 pl-2.5"
          question={`${remove.verb} “${name}”?`}
          hint={remove.hint ?? name}
          confirmLabel={`Confirm ${remove.verb.toLowerCase()}`}
          pending={remove.pending}
          onConfirm={remove.confirm}
          onCancel={backToView}
        />
      ) : (
        <>
          {children}
          <div
            className={cn(
              'absolute right-1 flex items-center opacity-0 transition-opacity group-focus-within/item:opacity-100 group-hover/item:opacity-100 [@media(hover:none)]:opacity-100',
              pinActions && 'opacity-100',
            )}
          >
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`Rename ${name}`}
              title="Rename"
              onClick={() => setMode('rename')}
            >
              <Pencil />
            </Button>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label={`${remove.verb} ${name}`}
              title={remove.title}
              onClick={() => setMode('confirm')}
              className="hover:text-destructive-text"
            >
              <Trash />
            </Button>
          </div>
          {rename.error ? (
            <Alert variant="destructive" className="absolute top-full z-10 text-xs">
              {rename.error}
            </Alert>
          ) : null}
        </>
      )}
    </li>
  );
}
