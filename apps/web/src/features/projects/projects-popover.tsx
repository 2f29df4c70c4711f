import { useId, useState, type FormEvent } from 'react';
import type { Project } from '@boocode/protocol';
import { Button, Input, Popover } from '@boocode/ui';
import { FolderPlus, Trash } from 'lucide-react';
import { ConfirmQuestion } from '../../components/confirm-question.tsx';
import { errorMessage } from '../../lib/api.ts';
import { useAddProject, useRemoveProject } from './project-api.ts';

interface Props {
  projects: Project[];
  onAdded: (project: Project) => void;
  onRemoved: (projectId: string) => void;
}

/** "Add project": a path field, and the registered projects with a two-step remove. */
export function ProjectsPopover({ projects, onAdded, onRemoved }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label="Projects"
      trigger={{
        variant: 'ghost',
        size: 'icon',
        'aria-label': 'Add project',
        title: 'Add or remove projects',
        children: <FolderPlus />,
      }}
    >
      <AddProjectForm
        onAdded={(p) => {
          setOpen(false);
          onAdded(p);
        }}
      />
      {projects.length > 0 ? (
        <div className="border-border mt-3 border-t pt-2">
          <h2 className="text-muted-foreground mb-1 text-xs font-medium">Projects</h2>
          <ul className="max-h-60 overflow-y-auto">
            {projects.map((p) => (
              <ProjectRow key={p.id} project={p} onRemoved={onRemoved} />
            ))}
          </ul>
        </div>
      ) : null}
    </Popover>
  );
}

function AddProjectForm({ onAdded }: { onAdded: (project: Project) => void }) {
  const [path, setPath] = useState('');
  const add = useAddProject();
  const id = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = path.trim();
    if (!value || add.isPending) return;
    add.mutate(value, { onSuccess: onAdded });
  };

  return (
    <form onSubmit={submit} className="flex flex-col gap-2">
      <label htmlFor={id} className="text-xs font-medium">
        Add a git repository on the server
      </label>
      <div className="flex gap-1.5">
        <Input
          id={id}
          aria-label="Project path"
          aria-invalid={add.isError || undefined}
          aria-describedby={add.isError ? `${id}-error` : undefined}
          placeholder="/home/you/code/repo"
          autoFocus
          spellCheck={false}
          autoComplete="off"
          value={path}
          onChange={(e) => {
            setPath(e.target.value);
            if (add.isError) add.reset();
          }}
          className="font-mono text-xs"
        />
        <Button type="submit" size="default" disabled={!path.trim() || add.isPending}>
          Add
        </Button>
      </div>
      {add.isError ? (
        <p id={`${id}-error`} role="alert" className="text-destructive-text text-xs">
          {errorMessage(add.error)}
        </p>
      ) : null}
    </form>
  );
}

function ProjectRow({
  project,
  onRemoved,
}: {
  project: Project;
  onRemoved: (projectId: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  // Back from the question by Esc or Cancel: the focus returns to the Remove button.
  const [refocus, setRefocus] = useState(false);
  const remove = useRemoveProject();

  if (confirming) {
    return (
      <li className="py-1">
        <ConfirmQuestion
          question={`Remove “${project.name}”?`}
          hint="Its files stay on disk; chats using it lose their project"
          confirmLabel="Confirm remove"
          pending={remove.isPending}
          onConfirm={() => remove.mutate(project.id, { onSuccess: () => onRemoved(project.id) })}
          onCancel={(byUser) => {
            setRefocus(byUser);
            setConfirming(false);
          }}
        />
      </li>
    );
  }

  return (
    <li className="group/project flex items-center gap-1 py-0.5">
      <div className="min-w-0 flex-1" title={project.path}>
        <p className="truncate text-sm">{project.name}</p>
        <p className="text-muted-foreground truncate font-mono text-[11px]">{project.path}</p>
      </div>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label={`Remove ${project.name}`}
        title="Remove"
        autoFocus={refocus}
        onClick={() => setConfirming(true)}
        className="hover:text-destructive-text"
      >
        <Trash />
      </Button>
    </li>
  );
}
