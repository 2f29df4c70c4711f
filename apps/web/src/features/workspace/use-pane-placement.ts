import { useCallback, useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Lays each pane's host over its slot in the tree of splits (or over the whole area, for the
 * pane `shown`), and again whenever a slot or the area changes size: a drag, the sidebar
 * folding, the window resizing.
 */
export function usePanePlacement(
  containerRef: RefObject<HTMLElement | null>,
  shown: string | null,
  loaded: boolean,
): {
  slotRef: (id: string) => (el: HTMLElement | null) => void;
  hostRef: (id: string, el: HTMLElement | null) => void;
} {
  const slots = useRef(new Map<string, HTMLElement>());
  const hosts = useRef(new Map<string, HTMLElement>());
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
  }, [containerRef]);

  const observer = useRef<ResizeObserver | null>(null);
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
  }, [place, loaded, containerRef]);
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

  return { slotRef, hostRef };
}
