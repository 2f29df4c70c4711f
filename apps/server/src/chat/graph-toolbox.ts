import { callGraph, findReferences, findSymbol, outline, type GraphIndexer } from '@boocode/graph';
import {
  CallDirection,
  graphLink,
  MAX_CALL_DEPTH,
  SymbolKind,
  type GraphLocation,
  type GraphSymbol,
} from '@boocode/protocol';
import type { Sql } from '@boocode/db';
import { z } from 'zod';
import { freshen } from '../graph-scope.ts';
import { guardRoots } from './chat-roots.ts';
import type { ToolSpec } from './model-client.ts';
import { capResult, parseArguments, type ToolResult, type ToolSource } from './toolbox.ts';

const Root = z.string().optional().describe('The root of `path`; the default root when omitted.');
const ARGS = {
  find_symbol: z.object({
    name: z.string().min(1).max(200).describe('The name or part of it; matched loosely.'),
    kind: SymbolKind.optional(),
  }),
  find_references: z.object({
    name: z.string().min(1).max(200).describe('The exact name.'),
    path: z.string().optional().describe('Only uses in this file or folder.'),
    root: Root,
  }),
  call_graph: z.object({
    name: z.string().min(1).max(200),
    direction: CallDirection,
    depth: z.number().int().min(1).max(MAX_CALL_DEPTH).optional(),
    path: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The file that defines or imports the name: follows that definition, leaving out calls of others with the same name.',
      ),
    root: Root,
  }),
  outline: z.object({ path: z.string().min(1), root: Root }),
};
type ToolName = keyof typeof ARGS;

const DESCRIPTIONS: Record<ToolName, string> = {
  find_symbol:
    'Find where functions, classes, methods, types and module-level variables are defined, by name (fuzzy). Gives path:line per hit.',
  find_references: 'Every use of a name across the code (path:line, the function it is in).',
  call_graph: `Who calls a function or method ("callers"), or what it calls ("callees"), to a depth of at most ${MAX_CALL_DEPTH}.`,
  outline: "A file's symbols (with their lines) and its imports.",
};

export const graphToolSpecs: ToolSpec[] = (Object.keys(ARGS) as ToolName[]).map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  parameters: z.toJSONSchema(ARGS[name]) as Record<string, unknown>,
}));

/**
 * The code-graph tools over a chat's roots (its project, then its grants): queries of the index
 * packages/graph keeps, paths in and out through the same path guard as the read tools.
 */
export function graphToolSource(sql: Sql, indexer: GraphIndexer): ToolSource {
  return ({ roots }) => {
    const rooted = guardRoots(roots);
    if (!rooted) return null;
    const { named, guard } = rooted;
    const rootOf = new Map(named.map((r) => [r.project.id, r.id]));
    const where = (l: GraphLocation) => {
      const root = rootOf.get(l.projectId);
      const at = `${l.path}:${l.line}`;
      return `${root === named[0]!.id ? at : `${root}:${at}`} (${graphLink(l)})`;
    };
    const sym = (s: GraphSymbol) =>
      `${s.kind} ${s.container ? `${s.container}.` : ''}${s.name} — ${where(s)}`;
    const scope = roots.map((p) => p.id);
    const project = (rootId: string) =>
      named.find((r) => r.id === rootId)?.project ?? named[0]!.project;

    return {
      specs: graphToolSpecs,
      system:
        'The code graph tools (find_symbol, find_references, call_graph, outline) answer from an index of the code: prefer them to searching text when you look for a definition, its uses or its callers. They match names syntactically and say when an answer may be incomplete.',
      async run(call): Promise<ToolResult> {
        const parsed = parseArguments(call);
        if (!parsed.ok) return parsed;
        if (!(call.name in ARGS))
          return { ok: false, text: `There is no tool named ${call.name}.` };
        const name = call.name as ToolName;
        const args = ARGS[name].safeParse(parsed.args);
        if (!args.success)
          return { ok: false, text: `Bad arguments for ${name}: ${z.prettifyError(args.error)}` };
        const waitNotes = await freshen(indexer, roots);
        const out = await answer(name, args.data);
        if (!out.ok) return out;
        const notes = [...waitNotes, ...out.notes];
        const text = notes.length
          ? `${out.text}\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}`
          : out.text;
        return { ok: true, text: capResult(text) };
      },
    };

    async function answer(
      name: ToolName,
      a: Record<string, unknown>,
    ): Promise<{ ok: true; text: string; notes: string[] } | { ok: false; text: string }> {
      switch (name) {
        case 'find_symbol': {
          const { name: q, kind } = a as z.infer<(typeof ARGS)['find_symbol']>;
          const r = await findSymbol(sql, scope, { name: q, kind });
          const lines = r.symbols.map((s) => `- ${sym(s)}`);
          if (r.truncated) lines.push('- … more: give a longer name or a kind.');
          return {
            ok: true,
            text: `${r.symbols.length} symbols:\n${lines.join('\n')}`,
            notes: r.notes,
          };
        }
        case 'find_references': {
          const { name: n, path, root } = a as z.infer<(typeof ARGS)['find_references']>;
          let rel: string | undefined;
          let ids = scope;
          if (path !== undefined) {
            const res = await guard.resolve(path, { root });
            if (!res.ok) return { ok: false, text: res.message };
            rel = res.rel === '.' ? undefined : res.rel;
            ids = [project(res.root.id).id];
          }
          const r = await findReferences(sql, ids, { name: n, path: rel });
          const defs = r.definitions.map((s) => `- ${sym(s)}`);
          const refs = r.references.map(
            (x) =>
              `- ${where(x)}${x.call ? ' call' : ''}${x.member ? ' (member)' : ''}${x.enclosing ? ` in ${x.enclosing}` : ''}`,
          );
          if (r.truncated) refs.push('- … more: narrow with path.');
          return {
            ok: true,
            text: `Defined at:\n${defs.join('\n') || '- (not in the index)'}\n${r.references.length} uses:\n${refs.join('\n')}`,
            notes: r.notes,
          };
        }
        case 'call_graph': {
          const { path, root, ...c } = a as z.infer<(typeof ARGS)['call_graph']>;
          let from: { projectId: string; path: string } | undefined;
          if (path !== undefined) {
            const res = await guard.resolve(path, { root });
            if (!res.ok) return { ok: false, text: res.message };
            from = { projectId: project(res.root.id).id, path: res.rel };
          }
          const r = await callGraph(sql, scope, { ...c, from });
          const lines = r.edges.map((e) => {
            const far = e.definitions[0];
            const def = far
              ? ` [${c.direction === 'callers' ? e.from : e.to} at ${where(far)}]`
              : '';
            return `${'  '.repeat(e.depth - 1)}- ${e.from} -> ${e.to} at ${where(e.site)}${e.member ? ' (member)' : ''}${def}`;
          });
          if (r.truncated) lines.push('- … more edges: lower the depth.');
          return {
            ok: true,
            text: `${c.direction} of ${c.name} (depth ${r.depth}), ${r.edges.length} calls:\n${lines.join('\n')}`,
            notes: r.notes,
          };
        }
        case 'outline': {
          const { path, root } = a as z.infer<(typeof ARGS)['outline']>;
          const res = await guard.resolve(path, { root });
          if (!res.ok) return { ok: false, text: res.message };
          const p = project(res.root.id);
          const o = await outline(sql, p.id, res.rel);
          if (!o.indexed)
            return {
              ok: false,
              text: `${res.rel} is not in the code index (not a source file of a known language, ignored, too large, or missing).`,
            };
          const lines = o.symbols.map(
            (s) => `${'  '.repeat(s.container ? 1 : 0)}- ${s.kind} ${s.name} — ${where(s)}`,
          );
          const imps = o.imports.map(
            (i) =>
              `- ${i.module}${i.names.length ? ` {${i.names.join(', ')}}` : ''}:${i.line}${i.dynamic ? ' (dynamic)' : ''}`,
          );
          return {
            ok: true,
            text: `${res.rel} (${o.language}):\n${lines.join('\n')}\nImports:\n${imps.join('\n') || '- none'}`,
            notes: o.imports.some((i) => i.dynamic)
              ? ['Dynamic imports are listed only when their module is a literal string.']
              : [],
          };
        }
      }
    }
  };
}
