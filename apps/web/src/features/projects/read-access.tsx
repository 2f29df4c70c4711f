import { useState } from 'react';
import { KeyRound } from 'lucide-react';
import { ChecklistPopover } from '../../components/checklist-popover.tsx';
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
  const others = (projects.data?.projects ?? []).filter((p) => p.id !== projectId);
  const granted = new Set(grants.data?.projectIds ?? []);

  return (
    <ChecklistPopover
      open={open}
      onOpenChange={setOpen}
      label="Read access"
      title="Other projects this chat may read"
      icon={<KeyRound />}
      description={
        projectId
          ? 'Other projects this chat’s tools may read.'
          : 'Pick a project first: a chat without one has no tools.'
      }
      pending={grants.isPending}
      error={grants.isError ? `Could not load the grants: ${grants.error.message}` : null}
      empty="No other projects registered."
      items={others.map((p) => ({
        id: p.id,
        label: p.name,
        title: p.path,
        checked: granted.has(p.id),
      }))}
      onCheckedChange={(id, isGranted) => setGrant.mutate({ projectId: id, granted: isGranted })}
    />
  );
}
