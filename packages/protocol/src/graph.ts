import { z } from 'zod';
import { Id } from './chat.ts';

/**
 * The code graph of a project: symbols, references, calls and imports from tree-sitter parses,
 * kept in PostgreSQL by packages/graph and read under /api/projects/:projectId/graph. It is
 * syntactic: names are matched as written, so a call through a variable or a member whose
 * target cannot be told from its name, a dynamic import, or a name defined in several files
 * can make an answer incomplete or ambiguous; answers say so in `notes`.
 */

export const GraphLanguage = z.enum(['typescript', 'tsx', 'javascript', 'python', 'go', 'rust']);
export type GraphLanguage = z.infer<typeof GraphLanguage>;

export const SymbolKind = z.enum([
  'function',
  'method',
  'class',
  'interface',
  'type',
  'enum',
  'variable',
  'module',
]);
export type SymbolKind = z.infer<typeof SymbolKind>;

/** Lines and columns are 1-based, as an editor shows them. */
const Line = z.number().int().positive();

/** Where a hit is: the project, the path relative to it, the line and column. */
export const GraphLocation = z.object({
  projectId: Id,
  path: z.string(),
  line: Line,
  column: Line,
});
export type GraphLocation = z.infer<typeof GraphLocation>;

/**
 * The link the web app opens for a location: the project view at the line. The tools give it to
 * the model with every hit so a reply can point at the code.
 */
export function graphLink(loc: { projectId: string; path: string; line: number }): string {
  const path = loc.path.split('/').map(encodeURIComponent).join('/');
  return `/projects/${loc.projectId}/files/${path}#L${loc.line}`;
}

export const GraphSymbol = GraphLocation.extend({
  name: z.string(),
  kind: SymbolKind,
  /** The class, interface, impl, module or function it is declared in. */
  container: z.string().nullable(),
  endLine: Line,
  endColumn: Line,
});
export type GraphSymbol = z.infer<typeof GraphSymbol>;

export const GraphReference = GraphLocation.extend({
  name: z.string(),
  /** The name is called here. */
  call: z.boolean(),
  /** Called or read through a member (`a.name`, `pkg.Name`, `Type::name`): the receiver is not resolved. */
  member: z.boolean(),
  /** The function or method it is in; null at the top level of the file. */
  enclosing: z.string().nullable(),
});
export type GraphReference = z.infer<typeof GraphReference>;

export const GraphState = z.enum(['idle', 'indexing', 'error']);
export type GraphState = z.infer<typeof GraphState>;

/** Where a project's index is; sent as a `graph.progress` frame while it changes. */
export const GraphProgress = z.object({
  projectId: Id,
  state: GraphState,
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  /** When the last scan of the disk ended; null before the first. */
  scannedAt: z.iso.datetime().nullable(),
  error: z.string().nullable(),
});
export type GraphProgress = z.infer<typeof GraphProgress>;

export const GraphStatus = GraphProgress.extend({
  files: z.number().int().nonnegative(),
  symbols: z.number().int().nonnegative(),
  references: z.number().int().nonnegative(),
  imports: z.number().int().nonnegative(),
  languages: z.record(z.string(), z.number().int().nonnegative()),
});
export type GraphStatus = z.infer<typeof GraphStatus>;

/** What every answer carries besides its hits: why it may be incomplete, and whether it was cut. */
const Answer = {
  notes: z.array(z.string()),
  truncated: z.boolean(),
};

export const GraphSymbolList = z.object({ symbols: z.array(GraphSymbol), ...Answer });
export type GraphSymbolList = z.infer<typeof GraphSymbolList>;

export const GraphReferenceList = z.object({
  /** The definitions the name has (none when it is defined outside the project). */
  definitions: z.array(GraphSymbol),
  references: z.array(GraphReference),
  ...Answer,
});
export type GraphReferenceList = z.infer<typeof GraphReferenceList>;

export const CallDirection = z.enum(['callers', 'callees']);
export type CallDirection = z.infer<typeof CallDirection>;

export const MAX_CALL_DEPTH = 3;

/** One edge of a call graph: `from` calls `to` at `site`. */
export const GraphCallEdge = z.object({
  depth: z.number().int().positive(),
  from: z.string(),
  to: z.string(),
  site: GraphLocation,
  member: z.boolean(),
  /** The definitions of the far end (the caller for `callers`, the callee for `callees`). */
  definitions: z.array(GraphSymbol),
});
export type GraphCallEdge = z.infer<typeof GraphCallEdge>;

export const GraphCalls = z.object({
  name: z.string(),
  direction: CallDirection,
  depth: z.number().int().positive(),
  roots: z.array(GraphSymbol),
  edges: z.array(GraphCallEdge),
  ...Answer,
});
export type GraphCalls = z.infer<typeof GraphCalls>;

export const GraphOutline = z.object({
  path: z.string(),
  language: GraphLanguage.nullable(),
  /** False when the file is not in the index (not a source file, too large, ignored, new). */
  indexed: z.boolean(),
  symbols: z.array(GraphSymbol),
  imports: z.array(
    z.object({ module: z.string(), names: z.array(z.string()), line: Line, dynamic: z.boolean() }),
  ),
});
export type GraphOutline = z.infer<typeof GraphOutline>;

export const GraphDefinition = z.object({
  /** The identifier under the position; null when there is none. */
  name: z.string().nullable(),
  definitions: z.array(GraphSymbol),
  /** The first definition is the one the file means: its own, or the one it imports. */
  meant: z.boolean(),
  ...Answer,
});
export type GraphDefinition = z.infer<typeof GraphDefinition>;

const RelPath = z.string().min(1).max(4096);
const QueryLine = z.coerce.number().int().min(1);
const Name = z.string().trim().min(1).max(200);

export const GraphParams = z.object({ projectId: Id });
export const GraphOutlineQuery = z.object({ path: RelPath }).strict();
export const GraphSymbolsQuery = z
  .object({
    q: Name,
    kind: SymbolKind.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
export const GraphReferencesQuery = z.object({ name: Name, path: RelPath.optional() }).strict();
export const GraphCallsQuery = z
  .object({
    name: Name,
    direction: CallDirection,
    depth: z.coerce.number().int().min(1).max(MAX_CALL_DEPTH).optional(),
    /** The file the name is seen from: its definition there, or the one it imports, is followed. */
    path: RelPath.optional(),
  })
  .strict();
export const GraphDefinitionQuery = z
  .object({ path: RelPath, line: QueryLine, column: QueryLine })
  .strict();

/** An indexed file, for "Go to file". */
export const GraphFile = z.object({ path: z.string(), language: GraphLanguage });
export type GraphFile = z.infer<typeof GraphFile>;

export const GraphFileList = z.object({ files: z.array(GraphFile), ...Answer });
export type GraphFileList = z.infer<typeof GraphFileList>;

export const GraphFilesQuery = z
  .object({
    /** A fragment of the path; empty lists the first files. */
    q: z.string().trim().max(4096).default(''),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  })
  .strict();
