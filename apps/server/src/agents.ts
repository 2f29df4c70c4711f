import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Agent, AgentList } from '@boocode/protocol';
import { z } from 'zod';
import { describeIssue, parseFrontMatter } from './front-matter.ts';
import type { Toolbox } from './chat/toolbox.ts';

export interface AgentDef extends Agent {
  systemPrompt: string;
}

const READ_TOOLS = ['read_file', 'list_dir', 'search', 'find_files', 'load_skill'];

/** The agents shipped with boocode. A user agent with the same id replaces one. */
export const BUILTIN_AGENTS: AgentDef[] = [
  {
    id: 'explainer',
    name: 'Code explainer',
    description: 'Explains how the code of the project works, citing files and lines.',
    tools: READ_TOOLS,
    model: null,
    builtin: true,
    systemPrompt:
      'You explain code. Before answering, read the relevant files with your tools; never guess what a file contains. Start with the short answer, then walk through the code that does it, citing each file as path:line. Say plainly when something is not in the code you read.',
  },
  {
    id: 'reviewer',
    name: 'Code reviewer',
    description: 'Reviews code for bugs, security holes and unclear parts, most serious first.',
    tools: READ_TOOLS,
    model: null,
    builtin: true,
    systemPrompt:
      'You are a careful code reviewer. Read the code in question and the code it calls. Report real problems only, most serious first: bugs, security holes (injection, path traversal, missing auth, secrets), data loss, races, then unclear code. For each: where (path:line), what goes wrong and when, and the fix. Do not pad the review with praise or style nits.',
  },
  {
    id: 'architect',
    name: 'Architect',
    description: 'Plans a change: what to touch, in what order, and the risks, before any code.',
    tools: READ_TOOLS,
    model: null,
    builtin: true,
    systemPrompt:
      'You plan changes to a codebase. First read enough of it to know its layout and conventions. Then give a plan: the goal in one sentence, the files to change or add and why, the steps in order (each small and testable), the tests that prove it, and the risks. Prefer the simplest design that fits the existing code.',
  },
  {
    id: 'writer',
    name: 'Technical writer',
    description: 'Writes and edits documentation, READMEs and commit messages; no tools.',
    tools: [],
    model: null,
    builtin: true,
    systemPrompt:
      'You write technical documentation. Be exact and plain: short sentences, concrete examples, no marketing words. Use Markdown headings and code blocks where they help the reader.',
  },
];

const AgentMeta = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(500).default(''),
  tools: z.array(z.string().min(1).max(200)).nullable().optional(),
  model: z.string().min(1).max(300).nullable().optional(),
});

/**
 * Builtin agents plus the user's own, one Markdown file each in `$BOOCODE_HOME/agents`:
 * `<id>.md` with front matter `name`, `description`, `tools` (a list of tool names or
 * globs; omitted: all) and `model`; the body is the system prompt. Read on each call,
 * so an edited file counts at once.
 */
export class AgentRegistry {
  /** Where the user's own agents are read from. */
  readonly dir: string;

  constructor(home: string) {
    this.dir = path.join(home, 'agents');
  }

  async list(): Promise<{ agents: AgentDef[]; problems: string[] }> {
    const problems: string[] = [];
    const byId = new Map(BUILTIN_AGENTS.map((a) => [a.id, a]));
    const dir = this.dir;
    let names: string[] = [];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
    } catch {
      // no user agents
    }
    for (const file of names) {
      const id = file.slice(0, -3);
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id)) {
        problems.push(
          `${path.join(dir, file)}: the file name must be letters, digits, ".", "_" or "-"`,
        );
        continue;
      }
      try {
        const { data, body } = parseFrontMatter(await readFile(path.join(dir, file), 'utf8'));
        const meta = AgentMeta.safeParse(data);
        if (!meta.success) throw new Error(describeIssue(meta.error));
        if (!body) throw new Error('the body (the system prompt) is empty');
        byId.set(id, {
          id,
          name: meta.data.name ?? id,
          description: meta.data.description,
          tools: meta.data.tools ?? null,
          model: meta.data.model ?? null,
          builtin: false,
          systemPrompt: body,
        });
      } catch (err) {
        problems.push(`${path.join(dir, file)}: ${err instanceof Error ? err.message : err}`);
      }
    }
    return { agents: [...byId.values()], problems };
  }

  async get(id: string): Promise<AgentDef | null> {
    return (await this.list()).agents.find((a) => a.id === id) ?? null;
  }
}

export function publicAgents(
  found: { agents: AgentDef[]; problems: string[] },
  dir: string,
): AgentList {
  return {
    agents: found.agents.map(({ systemPrompt: _, ...a }) => a),
    problems: found.problems,
    dir,
  };
}

/** The box with only the tools the agent may call (null `tools`: all of them). */
export function allowTools(box: Toolbox | null, tools: string[] | null): Toolbox | null {
  if (!box || tools === null) return box;
  const allowed = picomatch(tools.length ? tools : ['\0none']);
  const specs = box.specs.filter((s) => allowed(s.name));
  if (specs.length === 0) return null;
  return {
    specs,
    system: box.system,
    run: (call, signal) =>
      allowed(call.name)
        ? box.run(call, signal)
        : Promise.resolve({ ok: false, text: `This agent may not use ${call.name}.` }),
  };
}
