import {
  SshHost,
  SshHostList,
  Terminal,
  TerminalList,
  type CreateSshHostBody,
  type CreateTerminalBody,
  type UpdateSshHostBody,
} from '@boocode/protocol';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../lib/api.ts';

export const terminalsKey = ['terminals'] as const;
export const sshHostsKey = ['ssh-hosts'] as const;

const terminalUrl = (id: string) => `/api/term/terminals/${encodeURIComponent(id)}`;
const hostUrl = (id: string) => `/api/term/ssh-hosts/${encodeURIComponent(id)}`;

/** The terminal socket's address, with the size the pane has now. */
export function terminalSocketUrl(id: string, cols: number, rows: number): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${terminalUrl(id)}/ws?cols=${cols}&rows=${rows}`;
}

export function useTerminals() {
  return useQuery({
    queryKey: terminalsKey,
    queryFn: ({ signal }) => api('/api/term/terminals', { schema: TerminalList, signal }),
    // Nothing pushes list changes (a shell that exits): look again now and then.
    refetchInterval: 15_000,
    meta: { silent: true },
  });
}

export function createTerminal(body: CreateTerminalBody): Promise<Terminal> {
  return api('/api/term/terminals', { method: 'POST', body, schema: Terminal });
}

/** A terminal just made joins the list at once; the list is fetched again behind it. */
export function listNewTerminal(qc: QueryClient, t: Terminal): Promise<void> {
  qc.setQueryData<TerminalList>(terminalsKey, (list) =>
    list ? { terminals: [...list.terminals, t] } : list,
  );
  return qc.invalidateQueries({ queryKey: terminalsKey });
}

export function useCreateTerminal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTerminal,
    meta: { silent: true },
    onSuccess: (t) => listNewTerminal(qc, t),
  });
}

export function useRenameTerminal() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, title }: { id: string; title: string }) =>
      api(terminalUrl(id), { method: 'PATCH', body: { title }, schema: Terminal }),
    onSuccess: (t) => {
      qc.setQueryData<TerminalList>(terminalsKey, (list) =>
        list ? { terminals: list.terminals.map((x) => (x.id === t.id ? t : x)) } : list,
      );
      return qc.invalidateQueries({ queryKey: terminalsKey });
    },
  });
}

/** Kills the session (its program with it) and forgets the terminal. */
export function useKillTerminal() {
  const qc = useQueryClient();
  return useMutation({
    // Already gone (removed in another tab): that is what was asked.
    mutationFn: (id: string) =>
      api(terminalUrl(id), { method: 'DELETE' }).catch((err: unknown) => {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }),
    onSuccess: (_void, id) => {
      qc.setQueryData<TerminalList>(terminalsKey, (list) =>
        list ? { terminals: list.terminals.filter((x) => x.id !== id) } : list,
      );
      return qc.invalidateQueries({ queryKey: terminalsKey });
    },
  });
}

export function useSshHosts() {
  return useQuery({
    queryKey: sshHostsKey,
    queryFn: ({ signal }) => api('/api/term/ssh-hosts', { schema: SshHostList, signal }),
    staleTime: 60_000,
    meta: { silent: true },
  });
}

export function useSaveSshHost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      body,
    }: {
      id: string | null;
      body: CreateSshHostBody | UpdateSshHostBody;
    }) =>
      id
        ? api(hostUrl(id), { method: 'PATCH', body, schema: SshHost })
        : api('/api/term/ssh-hosts', { method: 'POST', body, schema: SshHost }),
    meta: { silent: true },
    onSuccess: () => qc.invalidateQueries({ queryKey: sshHostsKey }),
  });
}

export function useDeleteSshHost() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(hostUrl(id), { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: sshHostsKey }),
  });
}
