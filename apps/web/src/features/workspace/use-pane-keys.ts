import { useEffect, type RefObject } from 'react';
import type { WorkspaceModel } from './use-workspace.ts';

type Direction = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown';

/**
 * Workspace keys, caught before the pane (a terminal would take them as input):
 * Ctrl+Alt+Arrow moves the focus to the pane in that direction, Ctrl+Alt+Enter maximises the
 * active pane or restores it.
 */
export function usePaneKeys(model: WorkspaceModel, container: RefObject<HTMLElement | null>): void {
  const { activeId, focusPane, setActiveId, controls } = model;

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (!e.ctrlKey || !e.altKey || e.shiftKey || e.metaKey) return;
      const root = container.current;
      if (!root) return;
      if (e.key === 'Enter') {
        const id = activeId ?? firstPane(root);
        if (!id) return;
        e.preventDefault();
        e.stopPropagation();
        controls.toggleMaximize(id);
        return;
      }
      if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
      e.preventDefault();
      e.stopPropagation();
      const next = neighbour(root, activeId, e.key as Direction);
      if (!next) return;
      setActiveId(next);
      focusPane(next);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [activeId, focusPane, setActiveId, controls, container]);
}

function visiblePanes(root: HTMLElement): { id: string; rect: DOMRect }[] {
  return [...root.querySelectorAll<HTMLElement>(':scope > [data-pane-id]')]
    .filter((el) => !el.hidden)
    .map((el) => ({ id: el.dataset.paneId!, rect: el.getBoundingClientRect() }));
}

function firstPane(root: HTMLElement): string | null {
  return visiblePanes(root)[0]?.id ?? null;
}

/** The nearest pane on that side of the active one, favouring those that line up with it. */
export function neighbour(root: HTMLElement, fromId: string | null, dir: Direction): string | null {
  const panes = visiblePanes(root);
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
