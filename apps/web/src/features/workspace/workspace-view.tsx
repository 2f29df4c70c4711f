import { useRef, useState } from 'react';
import { panesOf } from '@boocode/protocol';
import { Spinner } from '@boocode/ui';
import { EmptyWorkspace } from './empty-workspace.tsx';
import { WorkspaceContext } from './pane-chrome.tsx';
import { PaneHost } from './pane-host.tsx';
import { stableOrder } from './pane-order.ts';
import { Tree } from './split-tree.tsx';
import { usePaneKeys } from './use-pane-keys.ts';
import { usePanePlacement } from './use-pane-placement.ts';
import type { WorkspaceModel } from './use-workspace.ts';
import { useMediaQuery } from '../../lib/use-media-query.ts';

/** Below this width one pane is shown at a time (Tailwind's `md`, where the sidebar overlays). */
const NARROW = '(max-width: 767px)';

/**
 * The main area: panes laid out by the workspace's tree of splits.
 *
 * The tree renders only empty slots (react-resizable-panels groups and panels); the panes
 * themselves are one flat list laid over their slots. Splitting or closing changes the tree, and
 * a pane that lived inside it would be unmounted and mounted again (a terminal reconnecting, a
 * chat losing its draft); over it, a pane only moves. Maximising is the same pane, laid over
 * the whole area. On a narrow screen only one pane is shown, the active one, as if maximised
 * (the layout, kept for wider screens, is left as it is); the sidebar switches between them.
 */
export function WorkspaceView({ model }: { model: WorkspaceModel }) {
  const { workspace, controls } = model;
  const containerRef = useRef<HTMLElement>(null);
  const maximized = workspace?.maximized ?? null;
  const narrow = useMediaQuery(NARROW);
  const panes = panesOf(workspace?.layout ?? null);
  const firstId = panes[0]?.id ?? null;
  const activeShown = panes.some((p) => p.id === model.activeId) ? model.activeId : null;
  /** The pane laid over the whole area, if one is. */
  const shown = narrow ? (activeShown ?? maximized ?? firstId) : maximized;
  const { slotRef, hostRef } = usePanePlacement(containerRef, shown, workspace !== null);

  const order = useStableOrder(panes.map((p) => p.id));
  const byId = new Map(panes.map((p) => [p.id, p]));

  usePaneKeys(model, containerRef);

  if (!workspace) {
    return (
      <main
        aria-label="Workspace"
        className="flex h-full min-w-0 flex-1 items-center justify-center"
      >
        <Spinner />
        <span className="sr-only">Loading the workspace…</span>
      </main>
    );
  }

  return (
    <WorkspaceContext.Provider value={controls}>
      <main
        ref={containerRef}
        aria-label="Workspace"
        className="relative h-full min-w-0 flex-1 overflow-hidden"
      >
        {workspace.layout ? (
          <Tree node={workspace.layout} slotRef={slotRef} onResize={model.resize} />
        ) : (
          <EmptyWorkspace />
        )}
        {order.map((id) => {
          const pane = byId.get(id);
          if (!pane) return null;
          return (
            <PaneHost
              key={id}
              pane={pane}
              slot={{
                paneId: id,
                alone: panes.length === 1 || narrow,
                maximized: shown === id,
                first: narrow ? id === shown : id === firstId,
              }}
              hidden={shown !== null && shown !== id}
              active={model.activeId === id}
              hostRef={hostRef}
              onActive={model.setActiveId}
              onState={model.updatePaneState}
            />
          );
        })}
      </main>
    </WorkspaceContext.Provider>
  );
}

/** Ids in the order they first appeared: a new pane never moves an existing one in the DOM. */
function useStableOrder(ids: string[]): string[] {
  const [order, setOrder] = useState<string[]>(ids);
  const next = stableOrder(order, ids);
  if (next !== order) setOrder(next);
  return next;
}
