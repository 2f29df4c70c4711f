import { posix } from 'node:path';
import {
  findGraphSymbols,
  graphCallsFrom,
  graphCallsTo,
  graphDefinitions,
  graphImportOf,
  graphNameAt,
  graphOutline,
  graphReferences,
  type GraphCallSite,
  type Queryable,
} from '@boocode/db';
import {
  MAX_CALL_DEPTH,
  type CallDirection,
  type GraphCallEdge,
  type GraphCalls,
  type GraphDefinition,
  type GraphOutline,
  type GraphReferenceList,
  type GraphSymbol,
  type GraphSymbolList,
  type GraphLanguage,
  type SymbolKind,
} from '@boocode/protocol';

/** Hits one answer gives at most. */
export const MAX_HITS = 200;
const MAX_EDGES = 300;

const SYNTACTIC =
  'The graph is syntactic: calls through a variable, a callback or dynamic dispatch, and dynamic imports, are not followed.';

function manyDefinitions(name: string, defs: GraphSymbol[]): string[] {
  const files = new Set(defs.map((d) => `${d.projectId}/${d.path}`));
  return files.size > 1
    ? [
        `"${name}" is defined in ${files.size} files; names are matched as written, so hits for all of them are mixed.`,
      ]
    : [];
}

export async function findSymbol(
  sql: Queryable,
  projectIds: string[],
  args: { name: string; kind?: SymbolKind; limit?: number },
): Promise<GraphSymbolList> {
  const limit = Math.min(args.limit ?? 50, MAX_HITS);
  const rows = await findGraphSymbols(sql, projectIds, args.name, {
    kind: args.kind,
    limit: limit + 1,
  });
  const notes =
    rows.length === 0
      ? [
          `No symbol like "${args.name}"${args.kind ? ` of kind ${args.kind}` : ''} is defined in the indexed files (dependencies and generated code are not indexed).`,
        ]
      : [];
  return { symbols: rows.slice(0, limit), notes, truncated: rows.length > limit };
}

export async function findReferences(
  sql: Queryable,
  projectIds: string[],
  args: { name: string; path?: string; limit?: number },
): Promise<GraphReferenceList> {
  const limit = Math.min(args.limit ?? MAX_HITS, MAX_HITS);
  const [definitions, refs] = await Promise.all([
    graphDefinitions(sql, projectIds, [args.name], 50),
    graphReferences(sql, projectIds, args.name, { path: args.path, limit: limit + 1 }),
  ]);
  const notes = [...manyDefinitions(args.name, definitions)];
  if (definitions.length === 0)
    notes.push(
      `"${args.name}" has no definition in the indexed files: it comes from a dependency, is built in, or is made at run time.`,
    );
  const member = refs.filter((r) => r.member).length;
  if (member > 0)
    notes.push(
      `${member} of these are through a member (x.${args.name}): the receiver is not resolved, so some may be another ${args.name}.`,
    );
  return {
    definitions,
    references: refs.slice(0, limit),
    notes,
    truncated: refs.length > limit,
  };
}

/**
 * Callers or callees of a name, breadth first to `depth` (at most {@link MAX_CALL_DEPTH}):
 * each level's far ends (the callers' or callees' names) are the next level's names.
 */
export async function callGraph(
  sql: Queryable,
  projectIds: string[],
  args: { name: string; direction: CallDirection; depth?: number },
): Promise<GraphCalls> {
  const depth = Math.min(Math.max(args.depth ?? 1, 1), MAX_CALL_DEPTH);
  const roots = await graphDefinitions(sql, projectIds, [args.name], 50);
  const edges: GraphCallEdge[] = [];
  const seen = new Set<string>([args.name]);
  let level = [args.name];
  let truncated = false;
  let member = 0;
  let topLevel = 0;
  for (let d = 1; d <= depth && level.length > 0 && !truncated; d++) {
    const room = MAX_EDGES - edges.length;
    const sites: GraphCallSite[] =
      args.direction === 'callers'
        ? await graphCallsTo(sql, projectIds, level, room + 1)
        : await graphCallsFrom(sql, projectIds, level, room + 1);
    if (sites.length > room) truncated = true;
    const farNames = new Set<string>();
    for (const s of sites.slice(0, room)) {
      if (s.member) member++;
      const from = s.caller?.name ?? null;
      if (from === null) topLevel++;
      const far = args.direction === 'callers' ? from : s.name;
      if (far !== null && !seen.has(far)) farNames.add(far);
      edges.push({
        depth: d,
        from: from ?? '(top level)',
        to: args.direction === 'callers' ? s.name : s.name,
        site: { projectId: s.projectId, path: s.path, line: s.line, column: s.column },
        member: s.member,
        definitions: [],
      });
      if (args.direction === 'callees') edges.at(-1)!.from = s.enclosing ?? '(top level)';
    }
    // The far ends' definitions, in one query per level.
    const defs = await graphDefinitions(sql, projectIds, [...farNames], 500);
    for (const e of edges)
      if (e.depth === d) {
        const far = args.direction === 'callers' ? e.from : e.to;
        e.definitions = defs.filter((x) => x.name === far).slice(0, 10);
      }
    for (const n of farNames) seen.add(n);
    level = [...farNames];
  }
  const notes = [SYNTACTIC, ...manyDefinitions(args.name, roots)];
  if (roots.length === 0) notes.push(`"${args.name}" has no definition in the indexed files.`);
  if (member > 0)
    notes.push(
      `${member} calls are through a member (x.name()): matched by the method's name only, the receiver's type is not resolved.`,
    );
  if (topLevel > 0 && args.direction === 'callers')
    notes.push(`${topLevel} calls are at a file's top level, outside any function.`);
  return { name: args.name, direction: args.direction, depth, roots, edges, notes, truncated };
}

export async function outline(
  sql: Queryable,
  projectId: string,
  path: string,
): Promise<GraphOutline> {
  const o = await graphOutline(sql, projectId, path);
  if (!o) return { path, language: null, indexed: false, symbols: [], imports: [] };
  return {
    path,
    language: o.language as GraphLanguage,
    indexed: true,
    symbols: o.symbols,
    imports: o.imports,
  };
}

/** Go to definition: the identifier at a position, and its definitions (that file's first). */
export async function definitionAt(
  sql: Queryable,
  projectIds: string[],
  at: { projectId: string; path: string; line: number; column: number },
): Promise<GraphDefinition> {
  const name = await graphNameAt(sql, at.projectId, at.path, at.line, at.column);
  if (name === null)
    return { name, definitions: [], notes: ['No identifier at that position.'], truncated: false };
  const [defs, module] = await Promise.all([
    graphDefinitions(sql, projectIds, [name], MAX_HITS + 1),
    graphImportOf(sql, at.projectId, at.path, name),
  ]);
  // That file's own first, then the one it imports the name from, then the rest by path.
  const from = module === null ? null : relativeModule(at.path, module);
  const rank = (d: GraphSymbol) =>
    d.projectId !== at.projectId ? 2 : d.path === at.path ? 0 : from?.(d.path) ? 1 : 2;
  defs.sort((a, b) => rank(a) - rank(b));
  const notes = manyDefinitions(name, defs);
  if (notes.length > 0 && defs[0] && rank(defs[0]) === 1)
    notes.push(`This file imports "${name}" from "${module}": that definition is first.`);
  if (defs.length === 0)
    notes.push(
      `"${name}" is not defined in the indexed files (a dependency, a built-in, or a local variable).`,
    );
  return { name, definitions: defs.slice(0, MAX_HITS), notes, truncated: defs.length > MAX_HITS };
}

/**
 * Whether a file is the one a relative import names (`./util`, `../a/b.js`, Python's `.util`), as
 * a test on its path; null for a package import, which the graph does not resolve.
 */
function relativeModule(importer: string, module: string): ((file: string) => boolean) | null {
  const dir = posix.dirname(importer);
  let target: string;
  if (/^\.\.?\//.test(module)) target = posix.join(dir, module);
  else if (/^\.+\w/.test(module)) {
    // Python: one dot is this package, each more one up.
    const dots = /^\.+/.exec(module)![0].length;
    target = posix.join(dir, '../'.repeat(dots - 1), module.slice(dots).replaceAll('.', '/'));
  } else return null;
  const stem = (p: string) => p.replace(/\.(d\.ts|[cm]?[jt]sx?|py)$/, '');
  const want = stem(target);
  return (file) => {
    const s = stem(file);
    return s === want || s === `${want}/index` || s === `${want}/__init__`;
  };
}
