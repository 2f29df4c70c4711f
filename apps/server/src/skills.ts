import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createPathGuard, type PathGuard } from '@boocode/files';
import type { Project, Skill, SkillList } from '@boocode/protocol';
import { z } from 'zod';
import { describeIssue, parseFrontMatter } from './front-matter.ts';
import { parseArguments, type Toolbox, type ToolContext } from './chat/toolbox.ts';

/** A SKILL.md past this is refused: a skill is instructions, not a data dump. */
const MAX_SKILL_BYTES = 256 * 1024;
const SkillMeta = z.object({
  name: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
      'name: letters, digits, ".", "_" or "-", at most 64',
    )
    .optional(),
  description: z.string().trim().min(1, 'description must not be empty').max(1024),
});

export interface LoadedSkill extends Skill {
  body: string;
  /** Where it lives, for the model: relative to its project root, or the absolute folder. */
  where: string;
}

/**
 * The skills under one base folder: each subfolder with a SKILL.md. Every path
 * goes through the path guard, so a skill folder or file that links outside the
 * base is skipped like any other bad one.
 */
async function skillsUnder(
  guard: PathGuard,
  base: string,
  source: Skill['source'],
  describe: (folder: string) => string,
  problems: string[],
): Promise<LoadedSkill[]> {
  const dir = await guard.resolve(base);
  if (!dir.ok) return [];
  let entries;
  try {
    entries = await readdir(dir.abs, { withFileTypes: true });
  } catch {
    return []; // no skills folder: nothing to find
  }
  const found: LoadedSkill[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!e.isDirectory() && !e.isSymbolicLink()) continue;
    const rel = base === '.' ? e.name : `${base}/${e.name}`;
    const file = await guard.resolve(`${rel}/SKILL.md`);
    if (!file.ok) {
      problems.push(`${describe(rel)}: ${file.message}`);
      continue;
    }
    try {
      const info = await stat(file.abs);
      if (!info.isFile()) continue;
      if (info.size > MAX_SKILL_BYTES) throw new Error(`SKILL.md is over ${MAX_SKILL_BYTES} bytes`);
      const { data, body } = parseFrontMatter(await readFile(file.abs, 'utf8'));
      const meta = SkillMeta.safeParse(data);
      if (!meta.success) throw new Error(describeIssue(meta.error));
      found.push({
        name: meta.data.name ?? e.name,
        description: meta.data.description,
        source,
        body,
        where: describe(rel),
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // a folder without SKILL.md
      problems.push(`${describe(rel)}/SKILL.md: ${err instanceof Error ? err.message : err}`);
    }
  }
  return found;
}

/**
 * Every skill a chat with these projects sees: each project's `.boocode/skills`
 * first (its own project, then its grants), then the user's `$BOOCODE_HOME/skills`.
 * A name found twice keeps its first, most specific, owner.
 */
export async function discoverSkills(
  home: string,
  projects: Project[],
): Promise<{ skills: LoadedSkill[]; problems: string[] }> {
  const problems: string[] = [];
  const lists: LoadedSkill[][] = [];
  for (const p of projects) {
    let guard: PathGuard;
    try {
      guard = createPathGuard([{ id: p.name, path: p.path }]);
    } catch {
      continue; // a project folder that is gone
    }
    lists.push(
      await skillsUnder(
        guard,
        '.boocode/skills',
        { kind: 'project', projectId: p.id, projectName: p.name },
        (rel) => `${p.name}:${rel}`,
        problems,
      ),
    );
  }
  const userDir = path.join(home, 'skills');
  try {
    const guard = createPathGuard([{ id: 'skills', path: userDir }]);
    lists.push(
      await skillsUnder(guard, '.', { kind: 'user' }, (rel) => path.join(userDir, rel), problems),
    );
  } catch {
    // no user skills folder
  }
  const seen = new Set<string>();
  const skills = lists.flat().filter((s) => !seen.has(s.name) && seen.add(s.name));
  return { skills, problems };
}

export function publicSkills(
  found: { skills: LoadedSkill[]; problems: string[] },
  home: string,
): SkillList {
  return {
    skills: found.skills.map(({ name, description, source }) => ({ name, description, source })),
    problems: found.problems,
    dir: path.join(home, 'skills'),
  };
}

const LoadSkillArgs = z.object({ name: z.string().min(1) });

/** `load_skill`, for a chat that has skills: the list goes into the system prompt, a body on demand. */
export function skillToolSource(home: string) {
  return async ({ roots }: ToolContext): Promise<Toolbox | null> => {
    const { skills } = await discoverSkills(home, roots);
    if (skills.length === 0) return null;
    const list = skills.map((s) => `- ${s.name}: ${s.description}`).join('\n');
    return {
      specs: [
        {
          name: 'load_skill',
          description:
            'Loads the instructions of a skill by its name. Call it before a task that a listed skill covers.',
          parameters: z.toJSONSchema(LoadSkillArgs) as Record<string, unknown>,
        },
      ],
      system: `Skills are instructions for particular tasks. Before a task one of them covers, load it with load_skill and follow it. The skills:\n${list}`,
      async run(call) {
        const parsed = parseArguments(call);
        if (!parsed.ok) return parsed;
        const args = LoadSkillArgs.safeParse(parsed.args);
        if (!args.success) return { ok: false, text: 'load_skill needs {"name": "<skill name>"}.' };
        // Read afresh: the file may have changed since the list was made.
        const now = await discoverSkills(home, roots);
        const skill = now.skills.find((s) => s.name === args.data.name);
        if (!skill)
          return {
            ok: false,
            text: `There is no skill named "${args.data.name}". The skills: ${now.skills.map((s) => s.name).join(', ')}.`,
          };
        return { ok: true, text: `Skill "${skill.name}" (from ${skill.where}):\n\n${skill.body}` };
      },
    };
  };
}
