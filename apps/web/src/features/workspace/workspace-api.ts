import { WorkspaceState, type Workspace } from '@boocode/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export const workspaceKey = ['workspace'] as const;

/** The stored layout, read once per page: after that the page's own copy is the truth. */
export function useStoredWorkspace() {
  return useQuery({
    queryKey: workspaceKey,
    queryFn: ({ signal }) => api('/api/workspace', { schema: WorkspaceState, signal }),
    staleTime: Infinity,
    gcTime: Infinity,
    meta: { silent: true },
  });
}

export function saveWorkspace(workspace: Workspace, keepalive = false): Promise<void> {
  if (keepalive) {
    // The page is going away: fetch with keepalive outlives it (sendBeacon cannot PUT).
    return fetch('/api/workspace', {
      method: 'PUT',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(workspace),
      keepalive: true,
    }).then(() => undefined);
  }
  return api('/api/workspace', { method: 'PUT', body: workspace });
}
