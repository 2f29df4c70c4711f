import { useMemo } from 'react';
import type { GraphOutline, GraphSymbol, SymbolKind } from '@boocode/protocol';
import { Spinner, cn } from '@boocode/ui';
import { errorMessage } from '../../lib/api.ts';
import { nestOutline, symbolAtLine, type OutlineNode } from './outline-tree.ts';

/** A short tag per kind, coloured so a long outline reads at a glance. */
export const KIND_TAG: Record<SymbolKind, { tag: string; className: string }> = {
  function: { tag: 'fn', className: 'text-sky-400' },
  method: { tag: 'm', className: 'text-sky-300' },
  class: { tag: 'C', className: 'text-amber-400' },
  interface: { tag: 'I', className: 'text-teal-400' },
  type: { tag: 'T', className: 'text-teal-300' },
  enum: { tag: 'E', className: 'text-orange-400' },
  variable: { tag: 'v', className: 'text-violet-300' },
  module: { tag: 'mod', className: 'text-rose-300' },
};

export function KindTag({ kind }: { kind: SymbolKind }) {
  const k = KIND_TAG[kind];
  return (
    <span
      title={kind}
      className={cn('inline-block w-7 shrink-0 text-center font-mono text-[10px]', k.className)}
    >
      {k.tag}
    </span>
  );
}

interface Props {
  outline: { data?: GraphOutline; error: unknown; isPending: boolean; isError: boolean };
  line: number | undefined;
  selected: string | null;
  onPick: (s: GraphSymbol) => void;
}

/** The file's symbols nested by container; a click goes to one and asks for its calls. */
export function OutlinePanel({ outline, line, selected, onPick }: Props) {
  const symbols = outline.data?.symbols;
  const tree = useMemo(() => nestOutline(symbols ?? []), [symbols]);
  const here = symbols && line ? symbolAtLine(symbols, line) : null;
  return (
    <section aria-label="Outline" className="flex min-h-0 flex-1 flex-col">
      <h3 className="text-muted-foreground shrink-0 px-3 pt-2 pb-1 text-xs font-medium tracking-wide uppercase">
        Outline
      </h3>
      <div className="min-h-0 flex-1 overflow-y-auto px-1 pb-2">
        {outline.isPending ? (
          <Spinner className="m-2 size-3" />
        ) : outline.isError ? (
          <p role="alert" className="text-destructive-text px-2 text-xs">
            {errorMessage(outline.error)}
          </p>
        ) : !outline.data?.indexed ? (
          <p className="text-muted-foreground px-2 text-xs">
            This file is not in the code index (not a source file of a known language, ignored, or
            too large).
          </p>
        ) : tree.length === 0 ? (
          <p className="text-muted-foreground px-2 text-xs">No symbols in this file.</p>
        ) : (
          <ul role="tree" aria-label="Symbols">
            {tree.map((n) => (
              <Node
                key={key(n)}
                node={n}
                depth={0}
                here={here}
                selected={selected}
                onPick={onPick}
              />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

const key = (n: OutlineNode) => `${n.symbol.line}:${n.symbol.column}:${n.symbol.name}`;

function Node(props: {
  node: OutlineNode;
  depth: number;
  here: GraphSymbol | null;
  selected: string | null;
  onPick: (s: GraphSymbol) => void;
}) {
  const { node, depth, here, onPick } = props;
  const s = node.symbol;
  const isHere = here === s;
  return (
    <li
      role="treeitem"
      aria-selected={isHere}
      aria-expanded={node.children.length ? true : undefined}
    >
      <button
        type="button"
        aria-label={`${s.kind} ${s.name}, line ${s.line}`}
        className={cn(
          'hover:bg-accent/60 flex w-full items-center gap-1 rounded px-1 py-0.5 text-left font-mono text-xs',
          isHere && 'bg-accent/40',
          props.selected === s.name && 'text-primary',
        )}
        style={{ paddingLeft: `${depth * 12 + 4}px` }}
        onClick={() => onPick(s)}
      >
        <KindTag kind={s.kind} />
        <span className="min-w-0 flex-1 truncate">{s.name}</span>
        <span className="text-muted-foreground shrink-0 tabular-nums">{s.line}</span>
      </button>
      {node.children.length ? (
        <ul role="group">
          {node.children.map((c) => (
            <Node key={key(c)} {...props} node={c} depth={depth + 1} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
