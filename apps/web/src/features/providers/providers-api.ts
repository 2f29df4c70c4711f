import { ProviderList } from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';

export const providersKey = ['coder', 'providers'] as const;
const providerUrl = (id: string) => `/api/coder/providers/${encodeURIComponent(id)}`;

/**
 * The agent providers of this machine. Fetched while `enabled` (the dialog is open); while a
 * probe runs in the background (at coder's start), asked again each second until it ends.
 */
export function useProviders(enabled = true) {
  return useQuery({
    queryKey: providersKey,
    queryFn: ({ signal }) => api('/api/coder/providers', { schema: ProviderList, signal }),
    enabled,
    staleTime: 0,
    refetchInterval: (q) =>
      q.state.data?.providers.some((p) => p.probe.state === 'probing') ? 1000 : false,
  });
}

/** Every change answers the whole list: it replaces the cached one. */
function useProviderMutation<V>(run: (v: V) => Promise<ProviderList>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (list) => qc.setQueryData(providersKey, list),
    onError: (err) => {
      toastError(errorMessage(err));
      void qc.invalidateQueries({ queryKey: providersKey });
    },
  });
}

export function useSetProviderEnabled() {
  return useProviderMutation(({ id, enabled }: { id: string; enabled: boolean }) =>
    api(providerUrl(id), { method: 'PATCH', body: { enabled }, schema: ProviderList }),
  );
}

/** On: the agent keeps its own configuration and login; off: it is pointed at boocode's endpoint. */
export function useSetProviderOwnConfig() {
  return useProviderMutation(({ id, ownConfig }: { id: string; ownConfig: boolean }) =>
    api(providerUrl(id), { method: 'PATCH', body: { ownConfig }, schema: ProviderList }),
  );
}

/** Runs one provider's tier-2 probe; resolves when it has finished. */
export function useProbeProvider() {
  return useProviderMutation((id: string) =>
    api(`${providerUrl(id)}/probe`, { method: 'POST', schema: ProviderList }),
  );
}
