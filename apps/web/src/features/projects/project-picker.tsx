import type { Project } from '@boocode/protocol';
import { NativeSelect } from '@boocode/ui';
import { useProjects } from './project-api.ts';
import { ProjectsPopover } from './projects-popover.tsx';

interface Props {
  /** The chat's project id; null for none. */
  value: string | null;
  onChange: (projectId: string | null) => void;
  /** A project was unregistered (chats that used it are left without one). */
  onRemoved: (projectId: string) => void;
}

/** Picks the project whose files the chat's tools read, and opens the list to add or remove. */
export function ProjectPicker({ value, onChange, onRemoved }: Props) {
  const projects = useProjects();
  const list = projects.data?.projects ?? [];
  // A chat may name a project this list does not have yet (still loading, or just removed).
  const unknown = value !== null && !list.some((p) => p.id === value);

  return (
    <div className="flex min-w-0 items-center gap-0.5">
      <NativeSelect
        aria-label="Project"
        title={list.find((p) => p.id === value)?.path ?? 'The repository the chat’s tools read'}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value || null)}
        className="w-28 @2xl:w-40"
      >
        <option value="">No project</option>
        {unknown ? (
          <option value={value}>{projects.isPending ? 'Loading…' : 'Unknown project'}</option>
        ) : null}
        {list.map((p) => (
          <option key={p.id} value={p.id} title={p.path}>
            {p.name}
          </option>
        ))}
      </NativeSelect>
      <ProjectsPopover
        projects={list}
        onAdded={(p: Project) => onChange(p.id)}
        onRemoved={onRemoved}
      />
    </div>
  );
}
