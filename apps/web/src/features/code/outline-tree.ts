import type { GraphSymbol } from '@boocode/protocol';

export interface OutlineNode {
  symbol: GraphSymbol;
  children: OutlineNode[];
}

const starts = (s: GraphSymbol) => [s.line, s.column] as const;
const ends = (s: GraphSymbol) => [s.endLine, s.endColumn] as const;
const before = (a: readonly [number, number], b: readonly [number, number]) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);

/** Whether `outer`'s range holds `inner`'s. */
function holds(outer: GraphSymbol, inner: GraphSymbol): boolean {
  return before(starts(outer), starts(inner)) && before(ends(inner), ends(outer));
}

/**
 * A file's symbols nested by their ranges: a method inside its class, a function inside the
 * one it is declared in. Symbols come in document order; one whose range holds none of the
 * open ones starts a new top-level entry.
 */
export function nestOutline(symbols: GraphSymbol[]): OutlineNode[] {
  const sorted = [...symbols].sort(
    (a, b) => a.line - b.line || a.column - b.column || b.endLine - a.endLine,
  );
  const roots: OutlineNode[] = [];
  const open: OutlineNode[] = [];
  for (const symbol of sorted) {
    const node: OutlineNode = { symbol, children: [] };
    while (open.length > 0 && !holds(open.at(-1)!.symbol, symbol)) open.pop();
    const parent = open.at(-1);
    (parent ? parent.children : roots).push(node);
    open.push(node);
  }
  return roots;
}

/** The innermost symbol whose range holds `line` (where the viewer is), or null. */
export function symbolAtLine(symbols: GraphSymbol[], line: number): GraphSymbol | null {
  let best: GraphSymbol | null = null;
  for (const s of symbols) {
    if (s.line > line || s.endLine < line) continue;
    if (!best || s.endLine - s.line <= best.endLine - best.line) best = s;
  }
  return best;
}
