import type { Node, QueryCapture } from 'web-tree-sitter';
import type { GraphFileRows } from '@boocode/db';
import { SymbolKind } from '@boocode/protocol';
import { importNames, moduleText } from './import-names.ts';
import type { LoadedLanguage } from './parser.ts';

interface Def {
  name: string;
  kind: SymbolKind | 'impl';
  /** Set by a query (a Go method's receiver type); else found from the enclosing ranges. */
  container: string | null;
  start: number;
  end: number;
  nameStart: number;
  node: Node;
}

/** Kinds a later one on the same name wins over: `const f = () => 1` is a function, not a variable. */
const RANK: Partial<Record<Def['kind'], number>> = { variable: 0, type: 1 };
const rank = (k: Def['kind']) => RANK[k] ?? 2;
const CALLABLE = new Set<Def['kind']>(['function', 'method']);
const TYPE_SCOPES = new Set<Def['kind']>(['class', 'interface', 'impl']);

/**
 * Parses one file and extracts its graph: symbols (with their container), every identifier it
 * uses (calls marked, with the function they are made in) and its imports. Pure but for the
 * parser it is given; the tree is freed before it returns.
 */
export function extractGraph(lang: LoadedLanguage, source: string): GraphFileRows {
  const tree = lang.parser.parse(source);
  if (!tree) return { symbols: [], refs: [], imports: [] };
  try {
    const root = tree.rootNode;
    const defs = definitions(lang, root);
    const symbols = defs.filter((d) => d.kind !== 'impl');
    const ordOf = new Map(symbols.map((d, i) => [d, i]));
    const names = new Set(defs.map((d) => d.nameStart));
    const calls = new Map<number, boolean>();
    for (const c of lang.calls.captures(root))
      if (c.name === 'name') calls.set(c.node.startIndex, calls.get(c.node.startIndex) ?? false);
      else if (c.name === 'reference.member') markMember(calls, c);
    const refs: GraphFileRows['refs'] = [];
    const callers = enclosingWalker(symbols.filter((d) => CALLABLE.has(d.kind)));
    for (const c of lang.references.captures(root)) {
      const at = c.node.startIndex;
      if (names.has(at)) continue;
      const call = calls.get(at);
      const caller = callers(at);
      refs.push({
        name: c.node.text,
        line: c.node.startPosition.row + 1,
        col: c.node.startPosition.column + 1,
        call: call !== undefined,
        member: call === true || isMemberAccess(c.node),
        callerOrd: caller ? (ordOf.get(caller) ?? null) : null,
      });
    }
    return {
      symbols: symbols.map((d) => ({
        name: d.name,
        kind: d.kind as SymbolKind,
        container: d.container,
        startLine: d.node.startPosition.row + 1,
        startCol: d.node.startPosition.column + 1,
        endLine: d.node.endPosition.row + 1,
        endCol: d.node.endPosition.column + 1,
      })),
      refs,
      imports: imports(lang, root),
    };
  } finally {
    tree.delete();
  }
}

/** The member call's name node is inside the captured call: mark that name as called through a member. */
function markMember(calls: Map<number, boolean>, c: QueryCapture): void {
  const fn = c.node.childForFieldName('function') ?? c.node.childForFieldName('constructor');
  const target = fn?.type === 'generic_function' ? fn.childForFieldName('function') : fn;
  const name =
    target?.childForFieldName('property') ??
    target?.childForFieldName('field') ??
    target?.childForFieldName('attribute') ??
    target?.childForFieldName('name');
  if (name) calls.set(name.startIndex, true);
}

/** `a.b`, `a?.b`, `pkg.Name`, `self.x`, `Type::x`: the name is read off a receiver. */
function isMemberAccess(node: Node): boolean {
  const p = node.parent;
  if (!p) return false;
  switch (p.type) {
    case 'member_expression':
    case 'selector_expression':
    case 'field_expression':
    case 'attribute':
    case 'scoped_identifier':
      return p.firstChild?.startIndex !== node.startIndex;
    default:
      return false;
  }
}

function definitions(lang: LoadedLanguage, root: Node): Def[] {
  const byName = new Map<number, Def>();
  for (const m of lang.definitions.matches(root)) {
    let name: Node | null = null;
    let def: Node | null = null;
    let kind: Def['kind'] | null = null;
    let receiver: string | null = null;
    for (const c of m.captures) {
      if (c.name === 'name') name = c.node;
      else if (c.name === 'receiver') receiver = c.node.text;
      else if (c.name === 'scope.impl') {
        def = c.node;
        kind = 'impl';
      } else if (c.name.startsWith('definition.')) {
        const k = SymbolKind.safeParse(c.name.slice('definition.'.length));
        if (k.success) {
          def = c.node;
          kind = k.data;
        }
      }
    }
    if (!name || !def || !kind) continue;
    const prev = byName.get(name.startIndex);
    if (prev && rank(prev.kind) >= rank(kind)) continue;
    byName.set(name.startIndex, {
      name: name.text,
      kind,
      container: receiver,
      start: def.startIndex,
      end: def.endIndex,
      nameStart: name.startIndex,
      node: def,
    });
  }
  const defs = [...byName.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  // Containers from the nesting of ranges: a stack of the definitions still open.
  const open: Def[] = [];
  for (const d of defs) {
    while (open.length > 0 && open.at(-1)!.end <= d.start) open.pop();
    const parent = open.at(-1);
    if (parent && d.container === null) d.container = parent.name;
    if (d.kind === 'function' && parent && TYPE_SCOPES.has(parent.kind)) d.kind = 'method';
    open.push(d);
  }
  return defs;
}

/**
 * For positions asked in increasing order, the innermost of `defs` (sorted by start) around
 * each: one pass over both, as the references come in document order.
 */
function enclosingWalker(defs: Def[]): (at: number) => Def | null {
  const open: Def[] = [];
  let next = 0;
  return (at) => {
    while (next < defs.length && defs[next]!.start <= at) {
      const d = defs[next++]!;
      while (open.length > 0 && open.at(-1)!.end <= d.start) open.pop();
      open.push(d);
    }
    while (open.length > 0 && open.at(-1)!.end <= at) open.pop();
    return open.at(-1) ?? null;
  };
}

function imports(lang: LoadedLanguage, root: Node): GraphFileRows['imports'] {
  const out: GraphFileRows['imports'] = [];
  for (const m of lang.imports.matches(root)) {
    const mod = m.captures.find((c) => c.name === 'module');
    const stmt = m.captures.find((c) => c.name.startsWith('import'));
    if (!mod || !stmt) continue;
    out.push({
      module: moduleText(mod.node),
      names: importNames(lang.name, stmt.node),
      line: stmt.node.startPosition.row + 1,
      dynamic: stmt.name === 'import.dynamic',
    });
  }
  return out;
}
