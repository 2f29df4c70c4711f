import { useEffect, type RefObject } from 'react';
import { neighbour, visiblePanes, type Direction } from './pane-geometry.ts';
import type { WorkspaceModel } from './use-workspace.ts';

/** The panes laid over the workspace (not the slots of its tree). */
const PANES = ':scope > [data-pane-id]';

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
        const id = activeId ?? visiblePanes(root, PANES)[0]?.id;
        if (!id) return;
        e.preventDefault();
        e.stopPropagation();
        controls.toggleMaximize(id);
        return;
      }
      if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(e.key)) return;
      e.preventDefault();
      e.stopPropagation();
      const next = neighbour(visiblePanes(root, PANES), activeId, e.key as Direction);
      if (!next) return;
      setActiveId(next);
      focusPane(next);
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [activeId, focusPane, setActiveId, controls, container]);
}
