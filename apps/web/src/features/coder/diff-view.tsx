import { memo, useMemo, type ReactNode } from 'react';
import type { DiffHunk } from '@boocode/protocol';
import { cn } from '@boocode/ui';
import { tokenStyle } from '../chat/code-block.tsx';
import { useTokens, type Lines } from '../chat/highlighter.ts';
import { hunkSides, splitRows, unifiedRows, type Side, type SplitCell } from './diff-rows.ts';

export type DiffMode = 'unified' | 'split';

/** The language of a file for the highlighter, from its extension ("ts", "py"...). */
export function langOf(path: string): string {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1) : '';
}

type Tokens = Lines | null;

/** A change's hunks as a table, unified or side by side, each side highlighted as code. */
export const DiffView = memo(function DiffView({
  path,
  hunks,
  mode,
}: {
  path: string;
  hunks: DiffHunk[];
  mode: DiffMode;
}) {
  if (hunks.length === 0) {
    return <p className="text-muted-foreground px-3 py-2 text-xs">Empty file, no lines.</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table
        aria-label={`Diff of ${path}`}
        className={cn(
          'w-full border-collapse font-mono text-xs leading-5 text-[#e6edf3]',
          // Side by side, each half wraps its long lines rather than pushing the other away.
          mode === 'split' && 'table-fixed',
        )}
      >
        {mode === 'split' ? (
          <colgroup>
            <col className="w-10" />
            <col className="w-4" />
            <col />
            <col className="w-10" />
            <col className="w-4" />
            <col />
          </colgroup>
        ) : null}
        <tbody>
          {hunks.map((h, i) => (
            <HunkRows key={i} hunk={h} mode={mode} lang={langOf(path)} />
          ))}
        </tbody>
      </table>
    </div>
  );
});

function HunkRows({ hunk, mode, lang }: { hunk: DiffHunk; mode: DiffMode; lang: string }) {
  const { oldText, newText } = useMemo(() => hunkSides(hunk), [hunk]);
  const oldTokens = useTokens(oldText, lang);
  const newTokens = useTokens(newText, lang);

  if (mode === 'unified') {
    return (
      <>
        {unifiedRows(hunk).map((row, i) =>
          row.type === 'hunk' ? (
            <HunkHeader key={i} header={row.header} span={4} />
          ) : (
            <tr key={i} className={rowTone(row.type)}>
              <LineNo side={row.old} />
              <LineNo side={row.new} />
              <Sign type={row.type} />
              <td className="pr-3 whitespace-pre">
                {code(row.text, row.new ? newTokens : oldTokens, (row.new ?? row.old)!)}
              </td>
            </tr>
          ),
        )}
      </>
    );
  }
  return (
    <>
      {splitRows(hunk).map((row, i) =>
        row.type === 'hunk' ? (
          <HunkHeader key={i} header={row.header} span={6} />
        ) : (
          <tr key={i}>
            <Cell cell={row.left} tokens={oldTokens} />
            <Cell cell={row.right} tokens={newTokens} border />
          </tr>
        ),
      )}
    </>
  );
}

function HunkHeader({ header, span }: { header: string; span: number }) {
  return (
    <tr className="bg-accent/40 text-muted-foreground">
      <td colSpan={span} className="px-3 py-0.5 select-none">
        {header}
      </td>
    </tr>
  );
}

function Cell({ cell, tokens, border }: { cell: SplitCell; tokens: Tokens; border?: boolean }) {
  const edge = border ? 'border-border border-l' : '';
  if (!cell) {
    return (
      <>
        <td className={cn('bg-muted/30', edge)} />
        <td className="bg-muted/30" />
        <td className="bg-muted/30" />
      </>
    );
  }
  return (
    <>
      <LineNo side={cell.side} className={cn(rowTone(cell.type), edge)} />
      <Sign type={cell.type} className={rowTone(cell.type)} />
      <td className={cn('pr-3 break-all whitespace-pre-wrap', rowTone(cell.type))}>
        {code(cell.text, tokens, cell.side)}
      </td>
    </>
  );
}

function LineNo({ side, className }: { side: Side | null; className?: string }) {
  return (
    <td
      className={cn(
        'text-muted-foreground/70 w-10 px-2 text-right align-top select-none',
        className,
      )}
    >
      {side?.no ?? ''}
    </td>
  );
}

function Sign({ type, className }: { type: 'context' | 'removed' | 'added'; className?: string }) {
  const sign = type === 'added' ? '+' : type === 'removed' ? '-' : ' ';
  return (
    <td
      className={cn(
        'w-4 pl-1 align-top select-none',
        type === 'added' && 'text-emerald-400',
        type === 'removed' && 'text-red-400',
        className,
      )}
    >
      {sign}
    </td>
  );
}

function rowTone(type: 'context' | 'removed' | 'added'): string {
  if (type === 'added') return 'bg-emerald-500/12';
  if (type === 'removed') return 'bg-red-500/12';
  return '';
}

function code(text: string, tokens: Tokens, side: Side): ReactNode {
  const line = tokens?.[side.at];
  // A line the tokenizer did not cover (or a plain file) shows as it is.
  if (!line || line.map((t) => t.content).join('') !== text) return text || ' ';
  return line.map((t, i) => (
    <span key={i} style={tokenStyle(t)}>
      {t.content}
    </span>
  ));
}
