import { useSyncExternalStore } from 'react';

/** The app's screens, parsed from the path. */
export type Route = { name: 'home' } | { name: 'chat'; chatId: string };

const NAVIGATE_EVENT = 'boocode:navigate';

/** Goes to `path` with pushState (or replaceState), keeping the query string out. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname && !location.search) return;
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function chatPath(chatId: string): string {
  return `/c/${encodeURIComponent(chatId)}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

function getPath(): string {
  return location.pathname;
}

export function parseRoute(path: string): Route {
  const m = /^\/c\/([^/]+)\/?$/.exec(path);
  if (m?.[1]) return { name: 'chat', chatId: decodeURIComponent(m[1]) };
  return { name: 'home' };
}

/** The current route; re-renders on pushState (through navigate) and back/forward. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, getPath);
  return parseRoute(path);
}
