import {
  findGraphSymbols,
  graphDefinitions,
  graphImportsOf,
  graphNameAt,
  graphOutline,
  graphReferences,
  type Queryable,
} from '@boocode/db';
import {
  type GraphDefinition,
  type GraphOutline,
  type GraphReferenceList,
  type GraphSymbol,
  type GraphSymbolList,
  type GraphLanguage,
  type SymbolKind,
} from '@boocode/protocol';
import { fileKey, NameResolver } from './resolve.ts';

/** Hits one answer gives at most. */
export const MAX_HITS = 200;

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
    return {
      name,
      definitions: [],
      meant: false,
      notes: ['No identifier at that position.'],
      truncated: false,
    };
  const [defs, imports] = await Promise.all([
    graphDefinitions(sql, projectIds, [name], MAX_HITS + 1),
    graphImportsOf(sql, projectIds, [name], at),
  ]);
  // The one this file means first (its own, else the one it imports), then the rest by path.
  const file = new NameResolver(defs, imports).fileOf(name, at);
  const rank = (d: GraphSymbol) => (fileKey(d) === file ? 0 : 1);
  defs.sort((a, b) => rank(a) - rank(b));
  const meant = file !== null && defs.length > 0 && fileKey(defs[0]!) === file;
  const files = new Set(defs.map(fileKey)).size;
  const notes =
    files > 1 && meant
      ? [
          `"${name}" is defined in ${files} files: ${file === fileKey(at) ? "this file's own" : `the one in ${defs[0]!.path}, which this file imports,`} is first.`,
        ]
      : manyDefinitions(name, defs);
  if (defs.length === 0)
    notes.push(
      `"${name}" is not defined in the indexed files (a dependency, a built-in, or a local variable).`,
    );
  return {
    name,
    definitions: defs.slice(0, MAX_HITS),
    meant,
    notes,
    truncated: defs.length > MAX_HITS,
  };
}
