import type { InboxItem } from '@boocode/protocol';

/**
 * The requests of `items` that were not in the last list seen: the ones to announce. The first
 * list (`seen` null) announces nothing: those requests were waiting before the page opened, and
 * the Inbox button counts them.
 */
export function newInboxItems(seen: ReadonlySet<string> | null, items: InboxItem[]): InboxItem[] {
  if (!seen) return [];
  return items.filter((it) => !seen.has(inboxKey(it)));
}

/** An item's id: its permission request's, or its question's. */
export function inboxKey(it: InboxItem): string {
  return it.kind === 'permission' ? it.permissionId : it.questionId;
}

/** The Inbox button's accessible name: the count when anything waits. */
export function inboxLabel(count: number): string {
  return count > 0 ? `Inbox (${count})` : 'Inbox';
}
