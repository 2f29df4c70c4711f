import { Fragment, useLayoutEffect } from 'react';
import type { LayoutNode } from '@boocode/protocol';
import { Group, Panel, useGroupRef, type Layout } from 'react-resizable-panels';
import { SplitHandle } from '../../components/split-handle.tsx';

interface TreeProps {
  node: LayoutNode;
  slotRef: (id: string) => (el: HTMLElement | null) => void;
  onResize: (splitId: string, sizes: number[]) => void;
}

/** The splits as resizable groups; each pane is an empty slot its PaneHost is laid over. */
export function Tree({ node, slotRef, onResize }: TreeProps) {
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
