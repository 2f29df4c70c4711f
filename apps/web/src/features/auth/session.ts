import { useQuery } from '@tanstack/react-query';
import { api, ApiError, type Parser } from '../../lib/api.ts';

/**
 * The token from `?token=...`, taken out of the address bar at once (before anything renders or
 * a screenshot/referrer can leak it), keeping the path so `/c/<id>?token=` lands on the chat.
 */
function takeUrlToken(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (token === null) return null;
  url.searchParams.delete('token');
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  return token;
}

let pendingToken = takeUrlToken();

export type Session = { user: string } | null;

// The protocol has no schema for /api/auth/me yet; this is the one shape it answers.
const Me: Parser<{ user: string }> = {
  safeParse(value) {
    const user = (value as { user?: unknown } | null)?.user;
    return typeof user === 'string' ? { success: true, data: { user } } : { success: false };
  },
};

async function loadSession(): Promise<Session> {
  const token = pendingToken;
  pendingToken = null;
  if (token) {
    try {
      await api('/api/auth/login', { method: 'POST', body: { token } });
    } catch (err) {
      // A wrong or stale token: fall through to /me, which may still find a valid cookie.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
  }
  try {
    return await api('/api/auth/me', { schema: Me });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export const sessionKey = ['session'] as const;

/** Who is signed in: `null` when not, `undefined` while checking. */
export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: loadSession,
    staleTime: Infinity,
    meta: { silent: true },
  });
}
