import { useEffect, useRef, useState } from 'react';
import { InboxList, type InboxItem } from '@boocode/protocol';
import { LiveSocket } from '../coder/live-socket.ts';
import { inboxKey, newInboxItems } from './inbox-items.ts';

/**
 * The permission requests waiting in every agent session and the questions agents asked, live from WS /api/coder/inbox/ws (the
 * whole list on connect and after each change; it comes back after a drop). `onNew` hears of
 * the requests that were not in the last list. Null until the first list.
 */
export function useInbox(onNew: (items: InboxItem[]) => void): InboxItem[] | null {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const onNewRef = useRef(onNew);
  useEffect(() => {
    onNewRef.current = onNew;
  }, [onNew]);

  useEffect(() => {
    let seen: Set<string> | null = null;
    const socket = new LiveSocket({
      path: () => '/api/coder/inbox/ws',
      schema: InboxList,
      onMessage: (list) => {
        const fresh = newInboxItems(seen, list.items);
        seen = new Set(list.items.map(inboxKey));
        setItems(list.items);
        if (fresh.length > 0) onNewRef.current(fresh);
      },
    });
    socket.start();
    return () => socket.stop();
  }, []);

  return items;
}
