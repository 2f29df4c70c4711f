import { useId, useState, type FormEvent } from 'react';
import { Button, NativeSelect, Popover } from '@boocode/ui';
import { useMutation } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { errorMessage } from '../../lib/api.ts';
import { getLastProject } from '../../lib/last-project.ts';
import { formProject } from './default-project.ts';
import { useProjects } from './project-api.ts';

interface Props<T> {
  /** The button's name and its panel's: "New terminal". */
  label: string;
  /** The button's tooltip. */
  title: string;
  /** The project field's visible label ("Start the shell in") and accessible name ("Directory"). */
  field: { label: string; name: string };
  /** The choice of no project ("Home directory"); without it a project must be picked. */
  none?: string;
  /** Said instead of the form when a project must be picked and none is registered. */
  empty?: string;
  /** The submit button: "Open terminal". */
  submit: string;
  /** Makes the thing; its error is shown in the form, not as a toast. */
  create: (projectId: string | null) => Promise<T>;
  /** After it was made and the panel closed: open its pane. */
  onCreated: (created: T, projectId: string | null) => void;
}

/**
 * A sidebar block's "New ..." button and the small form it opens over the list: which project
 * (the last used one first), then a button that makes the thing and closes the form.
 */
export function NewOnProject<T>({
  label,
  title,
  field,
  none,
  empty,
  submit,
  create,
  onCreated,
}: Props<T>) {
  const [isOpen, setOpen] = useState(false);
  const projects = useProjects();
  const list = projects.data?.projects ?? [];
  const required = none === undefined;
  const [picked, setPicked] = useState<string | null>(null);
  const value = picked ?? formProject(getLastProject(), list, required) ?? '';
  const id = useId();
  const mutation = useMutation({ mutationFn: create, meta: { silent: true } });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if ((required && !value) || mutation.isPending) return;
    const projectId = value || null;
    mutation.mutate(projectId, {
      onSuccess: (created) => {
        setOpen(false);
        onCreated(created, projectId);
      },
    });
  };

  return (
    <Popover
      open={isOpen}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) mutation.reset();
      }}
      label={label}
      align="end"
      side="top"
      className="w-60"
      trigger={{
        variant: 'outline',
        size: 'sm',
        title,
        children: (
          <>
            <Plus />
            {label}
          </>
        ),
      }}
    >
      {required && list.length === 0 ? (
        <p className="text-muted-foreground text-xs">{empty}</p>
      ) : (
        <form onSubmit={onSubmit} className="flex flex-col gap-2">
          <label htmlFor={id} className="text-xs font-medium">
            {field.label}
          </label>
          <NativeSelect
            id={id}
            aria-label={field.name}
            value={value}
            onChange={(e) => setPicked(e.target.value)}
            autoFocus
          >
            {required ? null : <option value="">{none}</option>}
            {list.map((p) => (
              <option key={p.id} value={p.id} title={p.path}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
          <Button type="submit" disabled={mutation.isPending}>
            {submit}
          </Button>
          {mutation.isError ? (
            <p role="alert" className="text-destructive-text text-xs">
              {errorMessage(mutation.error)}
            </p>
          ) : null}
        </form>
      )}
    </Popover>
  );
}
