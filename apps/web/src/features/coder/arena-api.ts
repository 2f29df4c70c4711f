import {
  ArenaDiff,
  ArenaList,
  ArenaReply,
  type Arena,
  type StartArenaBody,
} from '@boocode/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export const arenasKey = (chatId: string) => ['coder', 'arenas', chatId] as const;
export const arenaKey = (arenaId: string) => ['coder', 'arena', arenaId] as const;

const arenaUrl = (arenaId: string) => `/api/coder/arenas/${encodeURIComponent(arenaId)}`;

/** A coder chat's arenas, newest first. */
export function useArenas(chatId: string) {
  return useQuery({
    queryKey: arenasKey(chatId),
    queryFn: ({ signal }) =>
      api(`/api/coder/arenas?chatId=${encodeURIComponent(chatId)}`, { schema: ArenaList, signal }),
  });
}

/** One arena with its entrants' answers, times and files (refetched as their runs change). */
export function useArena(arenaId: string) {
  return useQuery({
    queryKey: arenaKey(arenaId),
    queryFn: ({ signal }) => api(arenaUrl(arenaId), { schema: ArenaReply, signal }),
  });
}

export async function startArena(body: StartArenaBody): Promise<Arena> {
  const r = await api('/api/coder/arenas', { method: 'POST', body, schema: ArenaReply });
  return r.arena;
}

export async function pickWinner(arenaId: string, sessionId: string): Promise<Arena> {
  const r = await api(`${arenaUrl(arenaId)}/pick`, {
    method: 'POST',
    body: { sessionId },
    schema: ArenaReply,
  });
  return r.arena;
}

/** An entrant's worktree diff with its hunks. */
export function useArenaDiff(arenaId: string, sessionId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...arenaKey(arenaId), 'diff', sessionId],
    queryFn: ({ signal }) =>
      api(`${arenaUrl(arenaId)}/diff/${encodeURIComponent(sessionId)}`, {
        schema: ArenaDiff,
        signal,
      }),
    enabled,
  });
}
