import {
  panesOf,
  type LayoutNode,
  type Orientation,
  type PaneNode,
  type PaneState,
  type Workspace,
} from '@boocode/protocol';

/** A short random id for a pane or split (crypto.randomUUID needs a secure context). */
export function newId(): string {
  return Math.random().toString(36).slice(2, 10);
}

export function newPane(pane: PaneState): PaneNode {
  return { type: 'pane', id: newId(), pane };
}

export function findPane(node: LayoutNode | null, id: string): PaneNode | null {
  return panesOf(node).find((p) => p.id === id) ?? null;
}

/** The pane that shows the chat in the address bar, if any. */
export function urlPane(node: LayoutNode | null): PaneNode | null {
  return panesOf(node).find((p) => p.pane.kind === 'chat' && p.pane.followsUrl) ?? null;
}

/** Scales sizes to add up to exactly 100 (what the server checks), rounded to 0.01. */
export function normalize(sizes: number[]): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (sizes.length === 0) return sizes;
  const scaled = sizes.map((s) =>
    total > 0 ? Math.round((s / total) * 10000) / 100 : 100 / sizes.length,
  );
  const drift = 100 - scaled.reduce((a, b) => a + b, 0);
  scaled[scaled.length - 1] = Math.round((scaled.at(-1)! + drift) * 100) / 100;
  return scaled;
}

export function updatePane(
  node: LayoutNode,
  id: string,
  f: (pane: PaneState) => PaneState,
): LayoutNode {
  if (node.type === 'pane') return node.id === id ? { ...node, pane: f(node.pane) } : node;
  let changed = false;
  const children = node.children.map((c) => {
    const next = updatePane(c, id, f);
    if (next !== c) changed = true;
    return next;
  });
  return changed ? { ...node, children } : node;
}

/**
 * Puts `added` beside the pane `id` (after it). Inside a split of the same orientation it
 * becomes a sibling taking half of the pane's share; otherwise the pane becomes a new split.
 */
export function splitPane(
  node: LayoutNode,
  id: string,
  orientation: Orientation,
  added: PaneNode,
): LayoutNode {
  if (node.type === 'pane') {
    if (node.id !== id) return node;
    return { type: 'split', id: newId(), orientation, children: [node, added], sizes: [50, 50] };
  }
  const at = node.children.findIndex((c) => c.type === 'pane' && c.id === id);
  if (at >= 0 && node.orientation === orientation) {
    const children = [...node.children];
    children.splice(at + 1, 0, added);
    const sizes = [...node.sizes];
    const half = sizes[at]! / 2;
    sizes.splice(at, 1, half, half);
    return { ...node, children, sizes: normalize(sizes) };
  }
  let changed = false;
  const children = node.children.map((c) => {
    const next = splitPane(c, id, orientation, added);
    if (next !== c) changed = true;
    return next;
  });
  return changed ? { ...node, children } : node;
}

/**
 * Takes the pane `id` out; its space goes to the neighbour before it (after it when it was
 * first), and a split left with one child is replaced by that child. Null when nothing is left.
 */
export function removePane(node: LayoutNode, id: string): LayoutNode | null {
  if (node.type === 'pane') return node.id === id ? null : node;
  const at = node.children.findIndex((c) => c.type === 'pane' && c.id === id);
  if (at >= 0) {
    const children = node.children.filter((_, i) => i !== at);
    const sizes = node.sizes.filter((_, i) => i !== at);
    const heir = at > 0 ? at - 1 : 0;
    sizes[heir] = sizes[heir]! + node.sizes[at]!;
    if (children.length === 1) return children[0]!;
    return { ...node, children, sizes: normalize(sizes) };
  }
  let changed = false;
  const children: LayoutNode[] = [];
  for (const c of node.children) {
    const next = removePane(c, id);
    if (next !== c) changed = true;
    // A child split never empties (it collapses to its last child first), so next is not null.
    if (next) children.push(next);
  }
  if (!changed) return node;
  // A nested split that collapsed into a split of our orientation merges into us.
  return flatten({ ...node, children });
}

function flatten(split: Extract<LayoutNode, { type: 'split' }>): LayoutNode {
  const children: LayoutNode[] = [];
  const sizes: number[] = [];
  split.children.forEach((c, i) => {
    const share = split.sizes[i]!;
    if (c.type === 'split' && c.orientation === split.orientation) {
      c.children.forEach((cc, j) => {
        children.push(cc);
        sizes.push((share * c.sizes[j]!) / 100);
      });
    } else {
      children.push(c);
      sizes.push(share);
    }
  });
  return { ...split, children, sizes: normalize(sizes) };
}

/** New sizes for the split `id` (after the user dragged a separator). */
export function resizeSplit(node: LayoutNode, id: string, sizes: number[]): LayoutNode {
  if (node.type === 'pane') return node;
  if (node.id === id) {
    if (sizes.length !== node.children.length) return node;
    const next = normalize(sizes);
    return next.every((s, i) => Math.abs(s - node.sizes[i]!) < 0.01)
      ? node
      : { ...node, sizes: next };
  }
  let changed = false;
  const children = node.children.map((c) => {
    const next = resizeSplit(c, id, sizes);
    if (next !== c) changed = true;
    return next;
  });
  return changed ? { ...node, children } : node;
}

/** The workspace with pane `id` gone; a maximised pane that is closed is no longer maximised. */
export function closePane(w: Workspace, id: string): Workspace {
  const layout = w.layout ? removePane(w.layout, id) : null;
  return { layout, maximized: w.maximized === id || !layout ? null : w.maximized };
}

/** Opens `added` beside `besideId` (or alone, when nothing is open); maximising ends. */
export function openPane(
  w: Workspace,
  added: PaneNode,
  besideId: string | null,
  orientation: Orientation = 'horizontal',
): Workspace {
  if (!w.layout) return { layout: added, maximized: null };
  const target = (besideId && findPane(w.layout, besideId)) || panesOf(w.layout).at(-1)!;
  return { layout: splitPane(w.layout, target.id, orientation, added), maximized: null };
}
