import { memo, useEffect, useMemo, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { cn } from '@boocode/ui';
import { useTokens, type Token } from '../chat/highlighter.ts';
import { tokenStyle } from '../chat/code-block.tsx';

/** A place in the file, 1-based. */
export interface Position {
  line: number;
  column: number;
}

interface Props {
  path: string;
  lines: string[];
  lang: string;
  /** The line to show and mark (from the pane's state: a link, the outline, a definition). */
  line: number | undefined;
  /** The caret was put somewhere (a click): the pane looks at the name there. */
  onCaret: (at: Position) => void;
  /** Ctrl/Cmd+click or F12 on a name. */
  onDefinition: (at: Position) => void;
}

const ROW = 20;

/**
 * A file's lines, numbered and coloured (the chat's shiki worker), windowed so a long file
 * costs only what is on screen. Read only; the caret and selection are the browser's own.
 */
export function CodeViewer({ path, lines, lang, line, onCaret, onDefinition }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const code = useMemo(() => lines.join('\n'), [lines]);
  const tokens = useTokens(code, lang);
  const lastCaret = useRef<Position | null>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders us itself; rows take plain values
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 20,
  });
  const gutter = `${String(lines.length).length + 2}ch`;

  useEffect(() => {
    if (line && line <= lines.length) virtualizer.scrollToIndex(line - 1, { align: 'center' });
  }, [line, lines.length, path, virtualizer]);

  const onClick = (e: MouseEvent) => {
    const at =
      e.ctrlKey || e.metaKey ? positionAtPoint(e.clientX, e.clientY) : positionOfSelection();
    if (!at) return;
    lastCaret.current = at;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      onDefinition(at);
    } else onCaret(at);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'F12') return;
    e.preventDefault();
    const at = positionOfSelection() ?? lastCaret.current;
    if (at) onDefinition(at);
  };

  return (
    <div
      ref={scrollRef}
      role="region"
      aria-label={`File ${path}`}
      tabIndex={0}
      className="bg-code focus-visible:ring-ring/40 min-h-0 flex-1 overflow-auto font-mono text-[13px] leading-5 text-[#e6edf3] outline-none focus-visible:ring-1 focus-visible:ring-inset"
      onClick={onClick}
      onKeyDown={onKeyDown}
    >
      <div className="relative" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((v) => (
          <Row
            key={v.index}
            n={v.index + 1}
            text={lines[v.index]!}
            tokens={tokens?.[v.index]}
            current={line === v.index + 1}
            top={v.start}
            gutter={gutter}
          />
        ))}
      </div>
    </div>
  );
}

const Row = memo(function Row(props: {
  n: number;
  text: string;
  tokens: Token[] | undefined;
  current: boolean;
  top: number;
  gutter: string;
}) {
  const { n, text, tokens, current } = props;
  return (
    <div
      data-line={n}
      aria-current={current ? 'location' : undefined}
      className={cn('absolute left-0 flex w-max min-w-full', current && 'bg-primary/15')}
      style={{ top: props.top, height: ROW }}
    >
      <span
        aria-hidden="true"
        className={cn(
          'bg-code sticky left-0 shrink-0 pr-3 text-right text-[#6e7681] select-none',
          current && 'text-[#e6edf3]',
        )}
        style={{ width: props.gutter }}
      >
        {n}
      </span>
      <code className="pr-4 whitespace-pre">
        {tokens
          ? tokens.map((t, j) => (
              <span key={j} style={tokenStyle(t)}>
                {t.content}
              </span>
            ))
          : text}
      </code>
    </div>
  );
});

/** The line and column of a point in a line's code, counted in characters. */
function positionIn(node: Node, offset: number): Position | null {
  const el = node instanceof Element ? node : node.parentElement;
  const row = el?.closest<HTMLElement>('[data-line]');
  const codeEl = row?.querySelector('code');
  if (!row || !codeEl || !codeEl.contains(node)) return null;
  const range = document.createRange();
  range.setStart(codeEl, 0);
  range.setEnd(node, offset);
  return { line: Number(row.dataset.line), column: range.toString().length + 1 };
}

function positionOfSelection(): Position | null {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || !sel.anchorNode) return null;
  // A selection on one name: its start; a caret: where it is.
  const r = sel.getRangeAt(0);
  return positionIn(r.startContainer, r.startOffset);
}

function positionAtPoint(x: number, y: number): Position | null {
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y);
    return p ? positionIn(p.offsetNode, p.offset) : null;
  }
  const r = document.caretRangeFromPoint?.(x, y);
  return r ? positionIn(r.startContainer, r.startOffset) : null;
}
