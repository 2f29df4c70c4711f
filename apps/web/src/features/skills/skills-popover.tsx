import { useState } from 'react';
import { Sparkles } from 'lucide-react';
import { InfoPopover } from '../../components/info-popover.tsx';
import { useSkills } from './skills-api.ts';

interface Props {
  chatId: string | null;
  projectId: string | null;
}

/** The skills the model of this chat can load, and why any were skipped. */
export function SkillsPopover({ chatId, projectId }: Props) {
  const [open, setOpen] = useState(false);
  const skills = useSkills({ chatId, projectId }, open);
  return (
    <InfoPopover
      open={open}
      onOpenChange={setOpen}
      label="Skills"
      title="Skills the model can load"
      icon={<Sparkles />}
      description={
        <>
          The model sees these and loads one when a task calls for it. Add a folder with a SKILL.md
          to {skills.data?.dir ?? 'the skills folder of boocode’s home'} or to a project’s
          .boocode/skills.
        </>
      }
      pending={skills.isPending}
      error={skills.isError ? `Could not load the skills: ${skills.error.message}` : null}
    >
      {skills.data ? (
        <>
          {skills.data.skills.length === 0 ? (
            <p className="text-muted-foreground text-xs">No skills found.</p>
          ) : (
            <ul aria-label="Skills" className="max-h-72 space-y-1.5 overflow-y-auto">
              {skills.data.skills.map((s) => (
                <li key={s.name} className="rounded-md px-1.5 py-1">
                  <div className="flex items-baseline gap-2">
                    <span className="font-mono text-sm">{s.name}</span>
                    <span className="text-muted-foreground text-[11px]">
                      {s.source.kind === 'user' ? 'yours' : s.source.projectName}
                    </span>
                  </div>
                  <p className="text-muted-foreground text-xs">{s.description}</p>
                </li>
              ))}
            </ul>
          )}
          {skills.data.problems.length ? (
            <details className="mt-2 text-xs">
              <summary className="text-destructive-text cursor-pointer">
                {skills.data.problems.length} skipped
              </summary>
              <ul className="text-muted-foreground mt-1 space-y-1 break-all">
                {skills.data.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </details>
          ) : null}
        </>
      ) : null}
    </InfoPopover>
  );
}
