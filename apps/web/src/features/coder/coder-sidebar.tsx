import { useId, useState, type FormEvent } from 'react';
import type { CoderPaneState, PaneState } from '@boocode/protocol';
import { Button, NativeSelect, Popover } from '@boocode/ui';
import { Plus } from 'lucide-react';
import { useMutation } from '@tanstack/react-query';
import { errorMessage } from '../../lib/api.ts';
import { getLastModel } from '../../lib/last-model.ts';
import { getLastProject } from '../../lib/last-project.ts';
import { useProjects } from '../projects/project-api.ts';
import { defaultProject } from '../projects/project-picker.tsx';
import { createCoderChat } from './coder-api.ts';

/** The sidebar's coder block: "New coder" opens a coder pane on a chosen project. */
export function CoderSidebar({ open }: { open: (state: PaneState) => void }) {
  return (
    <div className="flex items-center gap-1 py-2 pr-3 pl-4">
      <h2 className="text-muted-foreground flex-1 text-xs font-medium tracking-wide uppercase">
        Coder
      </h2>
      <NewCoder open={open} />
    </div>
  );
}

function NewCoder({ open }: { open: (state: PaneState) => void }) {
  const [isOpen, setOpen] = useState(false);
  const projects = useProjects();
  const list = projects.data?.projects ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  const value = picked ?? defaultProject(getLastProject(), list) ?? list[0]?.id ?? '';
  const id = useId();
  const create = useMutation({
    mutationFn: (projectId: string) => createCoderChat(projectId, getLastModel() || undefined),
    meta: { silent: true },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!value || create.isPending) return;
    create.mutate(value, {
      onSuccess: (chat) => {
        setOpen(false);
        open({ kind: 'coder', chatId: chat.id, projectId: value });
      },
    });
  };

  return (
    <Popover
      open={isOpen}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) create.reset();
      }}
      label="New coder"
      align="end"
      side="top"
      className="w-60"
      trigger={{
        variant: 'outline',
        size: 'sm',
        title: 'Open a coder pane: an agent whose changes wait for your review',
        children: (
          <>
            <Plus />
            New coder
          </>
        ),
      }}
    >
      {list.length === 0 ? (
        <p className="text-muted-foreground text-xs">
          Add a project first: a coder works on a project’s files.
        </p>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-2">
          <label htmlFor={id} className="text-xs font-medium">
            Project
          </label>
          <NativeSelect
            id={id}
            aria-label="Project"
            value={value}
            onChange={(e) => setPicked(e.target.value)}
            autoFocus
          >
            {list.map((p) => (
              <option key={p.id} value={p.id} title={p.path}>
                {p.name}
              </option>
            ))}
          </NativeSelect>
          <Button type="submit" disabled={create.isPending}>
            Open coder
          </Button>
          {create.isError ? (
            <p role="alert" className="text-destructive-text text-xs">
              {errorMessage(create.error)}
            </p>
          ) : null}
        </form>
      )}
    </Popover>
  );
}

/** "Split right/down" beside a coder pane: a new coder chat on the same project. */
export async function splitCoder(state: CoderPaneState): Promise<PaneState> {
  const chat = await createCoderChat(state.projectId);
  return { kind: 'coder', chatId: chat.id, projectId: state.projectId };
}
