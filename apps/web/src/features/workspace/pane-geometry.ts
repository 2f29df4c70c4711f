import type { Orientation } from '@boocode/protocol';

/** A pane on screen: its id and where it is (only the edges are read). */
export interface PaneBox {
  id: string;
  rect: { left: number; top: number; right: number; bottom: number; width: number; height: number };
}

export type Direction = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/**
 * The nearest pane on that side of the pane `fromId`, favouring those that line up with it;
 * the first pane when `fromId` is not on screen, null when nothing is on that side.
 */
export function neighbour(panes: PaneBox[], fromId: string | null, dir: Direction): string | null {
  const from = panes.find((p) => p.id === fromId);
  if (!from) return panes[0]?.id ?? null;
  const a = from.rect;
  let best: { id: string; score: number } | null = null;
  for (const p of panes) {
    if (p.id === from.id) continue;
    const b = p.rect;
    let gap: number;
    let overlap: number;
    switch (dir) {
      case 'ArrowRight':
        gap = b.left - a.right;
        overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        break;
      case 'ArrowLeft':
        gap = a.left - b.right;
        overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        break;
      case 'ArrowDown':
        gap = b.top - a.bottom;
        overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        break;
      case 'ArrowUp':
        gap = a.top - b.bottom;
        overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        break;
    }
    // Separators are a pixel or two wide; anything further back is not on that side.
    if (gap < -4) continue;
    const score = gap + (overlap > 0 ? 0 : 10_000 - overlap);
    if (!best || score < best.score) best = { id: p.id, score };
  }
  return best?.id ?? null;
}

/** Narrower than this, a pane that a new one would halve is passed over for a bigger one. */
export const SPLIT_MIN_PX = 640;

/**
 * Where a new pane goes: beside the active pane if it has room for two, else beside the
 * biggest pane on screen, along its longer side. Opening one terminal after another then
 * fills the screen rather than halving one pane into slivers.
 */
export function roomiest(
  panes: PaneBox[],
  activeId: string | null,
): { id: string | null; orientation: Orientation } {
  const active = panes.find((b) => b.id === activeId);
  if (active && active.rect.width >= SPLIT_MIN_PX) {
    return { id: active.id, orientation: 'horizontal' };
  }
  const biggest = [...panes].sort(
    (a, b) => b.rect.width * b.rect.height - a.rect.width * a.rect.height,
  )[0];
  if (!biggest) return { id: activeId, orientation: 'horizontal' };
  const wide =
    biggest.rect.width >= SPLIT_MIN_PX || biggest.rect.width >= biggest.rect.height * 1.4;
  return { id: biggest.id, orientation: wide ? 'horizontal' : 'vertical' };
}

/** The panes shown under `root` (hidden ones, behind a maximised pane, left out), in DOM order. */
export function visiblePanes(root: ParentNode, selector = '[data-pane-id]'): PaneBox[] {
  return [...root.querySelectorAll<HTMLElement>(selector)]
    .filter((el) => !el.hidden)
    .map((el) => ({ id: el.dataset.paneId ?? '', rect: el.getBoundingClientRect() }));
}
