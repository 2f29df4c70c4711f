/**
 * `order` updated to hold exactly `ids`: the ones still there keep their places, new ones go
 * last. The same array when nothing changed, so a pane never moves in the DOM when another is
 * added (moving it would reload a frame, lose a selection).
 */
export function stableOrder(order: string[], ids: string[]): string[] {
  const present = new Set(ids);
  const kept = order.filter((id) => present.has(id));
  const added = ids.filter((id) => !order.includes(id));
  return added.length || kept.length !== order.length ? [...kept, ...added] : order;
}
