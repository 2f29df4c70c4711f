import { useSyncExternalStore } from 'react';
import { wsClient } from './ws-client.ts';

/** Whether the socket is down after having been (or failed to get) up. */
export function useWsDown(): boolean {
  return useSyncExternalStore(wsClient.onStatus, wsClient.isDown);
}
