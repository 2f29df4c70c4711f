import { Fragment, Suspense, memo, useCallback, useLayoutEffect, useRef, useState } from 'react';
import { panesOf, type LayoutNode, type PaneNode, type PaneState } from '@boocode/protocol';
import { Button, Spinner, cn } from '@boocode/ui';
import { LayoutPanelLeft, PanelLeft } from 'lucide-react';
import { Group, Panel, useGroupRef, type Layout } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';
import {
  PaneSlotContext,
  WorkspaceContext,
  useWorkspaceControls,
  type PaneSlot,
} from './pane-chrome.tsx';
import { paneKind } from './pane-registry.tsx';
import type { WorkspaceModel } from './use-workspace.ts';
import { usePaneKeys } from './use-pane-keys.ts';
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
  const slots = useRef(new Map<string, HTMLElement>());
  const hosts = useRef(new Map<string, HTMLElement>());
  const maximized = workspace?.maximized ?? null;
  const narrow = useMediaQuery(NARROW);
  const panes = panesOf(workspace?.layout ?? null);
  const firstId = panes[0]?.id ?? null;
  const activeShown = panes.some((p) => p.id === model.activeId) ? model.activeId : null;
  /** The pane laid over the whole area, if one is. */
  const shown = narrow ? (activeShown ?? maximized ?? firstId) : maximized;
  const shownRef = useRef<string | null>(null);
  useLayoutEffect(() => {
    shownRef.current = shown;
  });

  const place = useCallback(() => {
    const container = containerRef.current;
    if (!container) return;
    const origin = container.getBoundingClientRect();
    for (const [id, host] of hosts.current) {
      const slot = slots.current.get(id);
      const s = host.style;
      if (shownRef.current === id) {
        s.left = '0px';
        s.top = '0px';
        s.width = `${origin.width}px`;
        s.height = `${origin.height}px`;
        continue;
      }
      if (!slot) continue;
      const r = slot.getBoundingClientRect();
      s.left = `${r.left - origin.left}px`;
      s.top = `${r.top - origin.top}px`;
      s.width = `${r.width}px`;
      s.height = `${r.height}px`;
    }
  }, []);

  // Every slot and the area itself: a drag, the sidebar folding, the window resizing.
  const observer = useRef<ResizeObserver | null>(null);
  const loaded = workspace !== null;
  useLayoutEffect(() => {
    if (!loaded) return;
    const ro = new ResizeObserver(() => place());
    observer.current = ro;
    if (containerRef.current) ro.observe(containerRef.current);
    for (const el of slots.current.values()) ro.observe(el);
    return () => {
      ro.disconnect();
      observer.current = null;
    };
  }, [place, loaded]);
  // After every change of the tree: slots may have moved without changing size.
  useLayoutEffect(place);

  const slotRefs = useRef(new Map<string, (el: HTMLElement | null) => void>());
  const slotRef = useCallback((id: string) => {
    let ref = slotRefs.current.get(id);
    if (!ref) {
      ref = (el: HTMLElement | null) => {
        const old = slots.current.get(id);
        if (old && old !== el) observer.current?.unobserve(old);
        if (el) {
          slots.current.set(id, el);
          observer.current?.observe(el);
        } else {
          slots.current.delete(id);
          slotRefs.current.delete(id);
        }
      };
      slotRefs.current.set(id, ref);
    }
    return ref;
  }, []);
  const hostRef = useCallback((id: string, el: HTMLElement | null) => {
    if (el) hosts.current.set(id, el);
    else hosts.current.delete(id);
  }, []);

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
  const present = new Set(ids);
  const kept = order.filter((id) => present.has(id));
  const added = ids.filter((id) => !order.includes(id));
  const next = added.length || kept.length !== order.length ? [...kept, ...added] : order;
  if (next !== order) setOrder(next);
  return next;
}

interface HostProps {
  pane: PaneNode;
  slot: PaneSlot;
  hidden: boolean;
  active: boolean;
  hostRef: (id: string, el: HTMLElement | null) => void;
  onActive: (paneId: string) => void;
  onState: (paneId: string, state: PaneState) => void;
}

/** One pane: a region named after its title, laid over its slot. */
const PaneHost = memo(function PaneHost({
  pane,
  slot,
  hidden,
  active,
  hostRef,
  onActive,
  onState,
}: HostProps) {
  const kind = paneKind(pane.pane);
  const [title, setTitle] = useState<string | null>(null);
  const { id } = pane;
  const update = useCallback((next: PaneState) => onState(id, next), [onState, id]);
  const ref = useCallback((el: HTMLElement | null) => hostRef(id, el), [hostRef, id]);
  const Component = kind.Component;
  const followsUrl = pane.pane.kind === 'chat' && pane.pane.followsUrl;

  return (
    <section
      ref={ref}
      aria-label={title ?? kind.label}
      data-pane-id={id}
      data-pane-kind={pane.pane.kind}
      data-follows-url={followsUrl || undefined}
      data-active={active || undefined}
      tabIndex={-1}
      hidden={hidden}
      onFocusCapture={() => onActive(id)}
      onPointerDownCapture={() => onActive(id)}
      className={cn(
        'bg-background absolute flex flex-col overflow-hidden outline-none',
        slot.maximized && 'z-10',
        // The active pane's edge, shown only when there is more than one to tell apart.
        !slot.alone &&
          !slot.maximized &&
          'after:pointer-events-none after:absolute after:inset-x-0 after:top-0 after:h-0.5 after:transition-colors',
        !slot.alone && !slot.maximized && active && 'after:bg-primary/70',
      )}
    >
      <PaneSlotContext.Provider value={slot}>
        <Suspense
          fallback={
            <div className="text-muted-foreground flex flex-1 items-center justify-center">
              <Spinner />
            </div>
          }
        >
          <Component paneId={id} state={pane.pane} update={update} setTitle={setTitle} />
        </Suspense>
      </PaneSlotContext.Provider>
    </section>
  );
});

interface TreeProps {
  node: LayoutNode;
  slotRef: (id: string) => (el: HTMLElement | null) => void;
  onResize: (splitId: string, sizes: number[]) => void;
}

/** The splits as resizable groups; each pane is an empty slot its PaneHost is laid over. */
function Tree({ node, slotRef, onResize }: TreeProps) {
  if (node.type === 'pane') return <div ref={slotRef(node.id)} className="h-full w-full" />;
  return <Split node={node} slotRef={slotRef} onResize={onResize} />;
}

function Split({
  node,
  slotRef,
  onResize,
}: TreeProps & { node: Extract<LayoutNode, { type: 'split' }> }) {
  const groupRef = useGroupRef();
  const panelId = (id: string) => `panel-${id}`;

  // Sizes that changed outside a drag (a pane added or closed, the layout loaded) are applied
  // to the group; the library keeps its own copy otherwise.
  const sizesKey = node.sizes.join(',') + '|' + node.children.map((c) => c.id).join(',');
  useLayoutEffect(() => {
    let frame = 0;
    let tries = 0;
    const apply = () => {
      const group = groupRef.current;
      if (!group) return;
      const current = group.getLayout();
      const wanted: Layout = {};
      node.children.forEach((c, i) => (wanted[panelId(c.id)] = node.sizes[i]!));
      // A panel that just replaced another registers with the group a little later; a layout
      // naming it before then is refused, so wait for the group to know the same panels.
      const known = Object.keys(current);
      if (known.length !== node.children.length || !known.every((k) => k in wanted)) {
        if (++tries < 10) frame = requestAnimationFrame(apply);
        return;
      }
      if (known.some((k) => Math.abs(current[k]! - wanted[k]!) > 0.1)) group.setLayout(wanted);
    };
    apply();
    return () => cancelAnimationFrame(frame);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- sizesKey stands for node's sizes and children
  }, [sizesKey, groupRef]);

  return (
    <Group
      id={`split-${node.id}`}
      groupRef={groupRef}
      orientation={node.orientation}
      onLayoutChanged={(layout, meta) => {
        if (!meta.isUserInteraction) return;
        onResize(
          node.id,
          node.children.map((c) => layout[panelId(c.id)] ?? 0),
        );
      }}
    >
      {node.children.map((child, i) => (
        <Fragment key={child.id}>
          {i > 0 ? <SplitHandle orientation={node.orientation} /> : null}
          <Panel id={panelId(child.id)} defaultSize={`${node.sizes[i]}%`} minSize={180}>
            <Tree node={child} slotRef={slotRef} onResize={onResize} />
          </Panel>
        </Fragment>
      ))}
    </Group>
  );
}

/** Every pane closed: a way back to a chat; the sidebar has the other "New ..." buttons. */
function EmptyWorkspace() {
  const ws = useWorkspaceControls();
  return (
    <div className="flex h-full flex-col">
      <header className="border-border flex h-12 shrink-0 items-center border-b px-2 sm:px-3">
        <Button
          variant="ghost"
          size="icon"
          aria-label="Toggle sidebar"
          aria-expanded={ws.sidebarOpen}
          aria-controls="sidebar"
          title="Toggle sidebar"
          onClick={ws.toggleSidebar}
        >
          <PanelLeft />
        </Button>
      </header>
      <div className="text-muted-foreground flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-sm">
        <LayoutPanelLeft aria-hidden="true" className="size-8 opacity-60" />
        <p>Every pane is closed.</p>
        <Button variant="outline" size="sm" onClick={ws.newUrlChat}>
          Open a chat pane
        </Button>
      </div>
    </div>
  );
}
