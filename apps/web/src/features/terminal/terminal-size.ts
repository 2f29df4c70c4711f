// The cell of the terminal's font at 13 px (JetBrains Mono or the fallback monospace), roughly.
const CELL_WIDTH_PX = 7.8;
const CELL_HEIGHT_PX = 15;
// The pane header and the terminal's padding.
const CHROME_HEIGHT_PX = 56;

/**
 * A guess at the size of a terminal opened beside the active pane (half of it), so the session
 * starts near its real size; the socket sends the exact one when it attaches.
 */
export function estimateNewPaneSize(): { cols: number; rows: number } {
  const active =
    document.querySelector<HTMLElement>('[data-pane-id][data-active]') ??
    document.querySelector<HTMLElement>('main[aria-label="Workspace"]');
  const rect = active?.getBoundingClientRect();
  if (!rect || rect.width === 0) return { cols: 80, rows: 24 };
  const cols = Math.floor((rect.width / 2 - 16) / CELL_WIDTH_PX);
  const rows = Math.floor((rect.height - CHROME_HEIGHT_PX) / CELL_HEIGHT_PX);
  return { cols: clamp(cols, 20, 500), rows: clamp(rows, 5, 300) };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, n));
}
