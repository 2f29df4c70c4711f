import type { DiffHunk } from '@boocode/protocol';

/** One side of a diff line: its number in that file and its index in that side's text. */
export type Side = { no: number; at: number };

export type UnifiedRow =
  | { type: 'hunk'; header: string }
  | { type: 'context' | 'removed' | 'added'; old: Side | null; new: Side | null; text: string };

export type SplitCell = { type: 'context' | 'removed' | 'added'; side: Side; text: string } | null;
export type SplitRow =
  { type: 'hunk'; header: string } | { type: 'pair'; left: SplitCell; right: SplitCell };

/**
 * The text of each side of a hunk (context plus removed lines; context plus added lines),
 * so that each side can be highlighted as code, with the row index of every line in it.
 */
export function hunkSides(h: DiffHunk): { oldText: string; newText: string } {
  const old: string[] = [];
  const neu: string[] = [];
  for (const line of h.lines) {
    const sign = line[0];
    const text = line.slice(1);
    if (sign === ' ' || sign === '-') old.push(text);
    if (sign === ' ' || sign === '+') neu.push(text);
  }
  return { oldText: old.join('\n'), newText: neu.join('\n') };
}

const header = (h: DiffHunk) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

/** A hunk as unified rows: line numbers on both sides, removed before added. */
export function unifiedRows(h: DiffHunk): UnifiedRow[] {
  const rows: UnifiedRow[] = [{ type: 'hunk', header: header(h) }];
  let o = 0;
  let n = 0;
  for (const line of h.lines) {
    const sign = line[0];
    const text = line.slice(1);
    if (sign === ' ') {
      rows.push({
        type: 'context',
        old: { no: h.oldStart + o, at: o },
        new: { no: h.newStart + n, at: n },
        text,
      });
      o++;
      n++;
    } else if (sign === '-') {
      rows.push({ type: 'removed', old: { no: h.oldStart + o, at: o }, new: null, text });
      o++;
    } else if (sign === '+') {
      rows.push({ type: 'added', old: null, new: { no: h.newStart + n, at: n }, text });
      n++;
    }
    // "\ No newline at end of file" is not a line of either file.
  }
  return rows;
}

/** A hunk side by side: each run of removed lines faces the run of added lines after it. */
export function splitRows(h: DiffHunk): SplitRow[] {
  const rows: SplitRow[] = [{ type: 'hunk', header: header(h) }];
  let removed: SplitCell[] = [];
  let added: SplitCell[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      rows.push({ type: 'pair', left: removed[i] ?? null, right: added[i] ?? null });
    }
    removed = [];
    added = [];
  };
  for (const row of unifiedRows(h)) {
    if (row.type === 'hunk') continue;
    if (row.type === 'context') {
      flush();
      rows.push({
        type: 'pair',
        left: { type: 'context', side: row.old!, text: row.text },
        right: { type: 'context', side: row.new!, text: row.text },
      });
    } else if (row.type === 'removed') {
      if (added.length > 0) flush();
      removed.push({ type: 'removed', side: row.old!, text: row.text });
    } else added.push({ type: 'added', side: row.new!, text: row.text });
  }
  flush();
  return rows;
}
