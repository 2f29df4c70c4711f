import { useState } from 'react';
import type { Project } from '@boocode/protocol';
import { Popover, Spinner } from '@boocode/ui';
import { KeyRound } from 'lucide-react';
import { useGrants, useProjects, useSetGrant } from './project-api.ts';

interface Props {
  chatId: string;
  /** The chat's own project, which it reads anyway. */
  projectId: string | null;
}

/** Which other projects the chat's tools may read (cross-repo questions). */
export function ReadAccess({ chatId, projectId }: Props) {
  const [open, setOpen] = useState(false);
  const projects = useProjects();
  const grants = useGrants(chatId, open);
  const setGrant = useSetGrant(chatId);
  const others: Project[] = (projects.data?.projects ?? []).filter((p) => p.id !== projectId);
  const granted = new Set(grants.data?.projectIds ?? []);

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      label="Read access"
      trigger={{
        variant: 'ghost',
        size: 'icon',
        'aria-label': 'Read access',
        title: 'Other projects this chat may read',
        children: <KeyRound />,
      }}
    >
      <h2 className="text-xs font-medium">Read access</h2>
      <p className="text-muted-foreground mt-0.5 mb-2 text-xs">
        {projectId
          ? 'Other projects this chat’s tools may read.'
          : 'Pick a project first: a chat without one has no tools.'}
      </p>
      {grants.isPending ? (
        <div className="text-muted-foreground flex justify-center py-2">
          <Spinner />
          <span className="sr-only">Loading…</span>
        </div>
      ) : grants.isError ? (
        <p role="alert" className="text-destructive-text text-xs">
          Could not load the grants: {grants.error.message}
        </p>
      ) : others.length === 0 ? (
        <p className="text-muted-foreground text-xs">No other projects registered.</p>
      ) : (
        <ul className="max-h-60 space-y-0.5 overflow-y-auto">
          {others.map((p) => (
            <li key={p.id}>
              <label
                title={p.path}
                className="hover:bg-accent flex cursor-pointer items-center gap-2 rounded-md px-1.5 py-1 text-sm"
              >
                <input
                  type="checkbox"
                  className="accent-primary size-3.5"
                  checked={granted.has(p.id)}
                  onChange={(e) => setGrant.mutate({ projectId: p.id, granted: e.target.checked })}
                />
                <span className="min-w-0 truncate">{p.name}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
    </Popover>
  );
}
