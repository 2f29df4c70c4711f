import { z } from 'zod';
import { Id } from './chat.ts';

/** A skill: a folder with a SKILL.md whose body the model loads with `load_skill` when it needs it. */
export const Skill = z.object({
  name: z.string(),
  description: z.string(),
  /** Where it was found: the user's own skills ($BOOCODE_HOME/skills) or a project's .boocode/skills. */
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('user') }),
    z.object({ kind: z.literal('project'), projectId: Id, projectName: z.string() }),
  ]),
});
export type Skill = z.infer<typeof Skill>;

/**
 * The skills found, and the folders skipped with why (a bad SKILL.md never hides the others);
 * `dir`: the folder the user's own skills are read from.
 */
export const SkillList = z.object({
  skills: z.array(Skill),
  problems: z.array(z.string()),
  dir: z.string(),
});
export type SkillList = z.infer<typeof SkillList>;
/** Skills a chat sees (its projects'), or a project's, or only the user's without either. */
export const SkillQuery = z.object({ chatId: Id.optional(), projectId: Id.optional() });

/** A named agent a chat can start with: its system prompt, the tools it may use, its model. */
export const Agent = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Tool names (globs, e.g. `read_file`, `*__*`) it may call; null: every tool of the chat. */
  tools: z.array(z.string()).nullable(),
  /** The model a new chat with it starts on; null: the one picked. */
  model: z.string().nullable(),
  builtin: z.boolean(),
});
export type Agent = z.infer<typeof Agent>;
/** `dir`: the folder the user's own agents are read from. */
export const AgentList = z.object({
  agents: z.array(Agent),
  problems: z.array(z.string()),
  dir: z.string(),
});
export type AgentList = z.infer<typeof AgentList>;

/** On-demand compaction: no body needed, a model may be named. */
export const CompactBody = z.object({ model: z.string().min(1).max(300).optional() });
