import {
  AgentSessionList,
  AgentSessionReply,
  ProviderList,
  SyncSessionReply,
  type AgentSession,
  type StartSessionBody,
} from '@boocode/protocol';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../lib/api.ts';

export const providersKey = ['coder', 'providers'] as const;
export const sessionsKey = (chatId: string) => ['coder', 'sessions', chatId] as const;

const sessionUrl = (sessionId: string) => `/api/coder/sessions/${encodeURIComponent(sessionId)}`;

/** How often the list is asked again while a probe runs. */
const PROBING_POLL_MS = 2_000;

/** The providers on this machine. Silent: without the agents' backend the pane is our own loop. */
export function useProviders() {
  return useQuery({
    queryKey: providersKey,
    queryFn: ({ signal }) => api('/api/coder/providers', { schema: ProviderList, signal }),
    staleTime: 60_000,
    // An agent's modes and models come with its probe's end (coder probes them at its start, so
    // a page opened then would otherwise keep empty Mode and Model pickers).
    refetchInterval: (q) =>
      q.state.data?.providers.some((p) => p.probe.state === 'probing') ? PROBING_POLL_MS : false,
    meta: { silent: true },
  });
}

/** The agent sessions of a coder pane's chat, newest first. */
export function useSessions(chatId: string, enabled: boolean) {
  return useQuery({
    queryKey: sessionsKey(chatId),
    queryFn: ({ signal }) =>
      api(`/api/coder/sessions?chatId=${encodeURIComponent(chatId)}`, {
        schema: AgentSessionList,
        signal,
      }),
    enabled,
    meta: { silent: true },
  });
}

export async function startSession(body: StartSessionBody): Promise<AgentSession> {
  const r = await api('/api/coder/sessions', { method: 'POST', body, schema: AgentSessionReply });
  return r.session;
}

export async function promptSession(sessionId: string, text: string): Promise<AgentSession> {
  const r = await api(`${sessionUrl(sessionId)}/prompt`, {
    method: 'POST',
    body: { text },
    schema: AgentSessionReply,
  });
  return r.session;
}

export async function cancelSession(sessionId: string): Promise<AgentSession> {
  const r = await api(`${sessionUrl(sessionId)}/cancel`, {
    method: 'POST',
    schema: AgentSessionReply,
  });
  return r.session;
}

export async function closeSession(sessionId: string): Promise<AgentSession> {
  const r = await api(sessionUrl(sessionId), { method: 'DELETE', schema: AgentSessionReply });
  return r.session;
}

/** Queues a terminal (pty) session's worktree changes now; `ended`: its terminal exited. */
export function syncSession(sessionId: string, ended = false): Promise<SyncSessionReply> {
  return api(`${sessionUrl(sessionId)}/sync`, {
    method: 'POST',
    body: { ended },
    schema: SyncSessionReply,
  });
}

/**
 * Answers a permission request. A 409 means it was answered (or cancelled) elsewhere: not the
 * user's error, the session's frames show the answer; it resolves false then.
 */
export async function answerPermission(permissionId: string, optionId: string): Promise<boolean> {
  try {
    await api(`/api/coder/permissions/${encodeURIComponent(permissionId)}`, {
      method: 'POST',
      body: { optionId },
    });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) return false;
    throw err;
  }
}

/** The socket path of a session's frames after `afterSeq`. */
export function sessionSocketPath(sessionId: string, afterSeq: number): string {
  return `${sessionUrl(sessionId)}/ws?afterSeq=${afterSeq}`;
}
