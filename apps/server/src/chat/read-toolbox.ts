import { callReadTool, readToolDefinitions } from '@boocode/files';
import type { Project } from '@boocode/protocol';
import { z } from 'zod';
import type { ToolSpec } from './model-client.ts';
import { guardRoots } from './chat-roots.ts';
import { capResult, parseArguments, type Toolbox } from './toolbox.ts';

/** The read tools as the model sees them (JSON Schema arguments). */
export const readToolSpecs: ToolSpec[] = readToolDefinitions.map((d) => ({
  name: d.name,
  description: d.description,
  parameters: z.toJSONSchema(d.parameters) as Record<string, unknown>,
}));

/**
 * The read tools of a chat whose projects are `roots` (its own first, then its
 * grants), behind one path guard over exactly those roots; null when it has none.
 */
export function readToolbox({ roots }: { roots: Project[] }): Toolbox | null {
  const rooted = guardRoots(roots);
  if (!rooted) return null;
  const { named, guard } = rooted;
  const list = named.map((r, i) => `- "${r.id}"${i === 0 ? ' (the default)' : ''}`).join('\n');
  return {
    specs: readToolSpecs,
    system: `You can read the user's code with the tools read_file, list_dir, search and find_files. Paths are relative to a root; the roots you may read are:\n${list}\nPass "root" to use another than the default. Nothing outside them can be read.`,
    async run(call) {
      const parsed = parseArguments(call);
      if (!parsed.ok) return parsed;
      const result = await callReadTool(guard, call.name, parsed.args);
      if (!result.ok) return { ok: false, text: result.message };
      // A file reads best as itself, under a line saying what it is; the rest as JSON.
      const text =
        'content' in result && typeof result.content === 'string'
          ? `${describeRead(result)}\n${result.content}`
          : JSON.stringify(result);
      return { ok: true, text: capResult(text) };
    },
  };
}

function describeRead(r: {
  path: string;
  startLine: number;
  endLine: number;
  totalLines?: number;
  truncated: boolean;
}): string {
  const of = r.totalLines === undefined ? '' : ` of ${r.totalLines}`;
  const more = r.truncated ? ` (cut: read on from line ${r.endLine + 1})` : '';
  return `${r.path}, lines ${r.startLine}-${r.endLine}${of}${more}:`;
}
