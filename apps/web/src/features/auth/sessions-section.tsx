import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RotatedToken, SessionList, type SessionInfo } from '@boocode/protocol';
import { Alert, Button, Spinner } from '@boocode/ui';
import { LogOut } from 'lucide-react';
import { ConfirmQuestion } from '../../components/confirm-question.tsx';
import { api, errorMessage } from '../../lib/api.ts';
import { CopyButton } from '../chat/copy-button.tsx';
import { sessionKey } from './session.ts';

const sessionsKey = ['auth', 'sessions'] as const;

/**
 * Settings: the browsers signed in with the token (each a session of its own, ended alone),
 * signing out, and a new token, which ends every other session.
 */
export function SessionsSection() {
  const qc = useQueryClient();
  const headingId = useId();
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: () => api('/api/auth/sessions', { schema: SessionList }),
  });
  const signedOut = () => qc.setQueryData(sessionKey, null);
  const end = useMutation({
    mutationFn: (s: SessionInfo) =>
      api(`/api/auth/sessions/${encodeURIComponent(s.id)}`, { method: 'DELETE' }),
    onSuccess: (_, s) =>
      s.current ? signedOut() : void qc.invalidateQueries({ queryKey: sessionsKey }),
  });
  const signOut = useMutation({
    mutationFn: () => api('/api/auth/logout', { method: 'POST' }),
    onSuccess: signedOut,
  });
  const rotate = useMutation({
    mutationFn: () => api('/api/auth/token/rotate', { method: 'POST', schema: RotatedToken }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: sessionsKey }),
  });
  const [confirmRotate, setConfirmRotate] = useState(false);
  const list = sessions.data?.sessions ?? [];
  const failed = end.error ?? signOut.error ?? rotate.error;

  return (
    <section aria-labelledby={headingId} className="space-y-3">
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <h3 id={headingId} className="text-sm font-semibold">
            Signed-in browsers
          </h3>
          <p className="text-muted-foreground mt-0.5 text-xs leading-5">
            Each browser that opened the printed URL has a session of its own; ending one signs that
            browser out.
          </p>
        </div>
        <Button variant="outline" size="sm" onClick={() => signOut.mutate()}>
          <LogOut />
          Sign out
        </Button>
      </div>
      {sessions.isPending ? (
        <div className="text-muted-foreground flex justify-center py-2">
          <Spinner />
          <span className="sr-only">Loading…</span>
        </div>
      ) : sessions.isError ? (
        <Alert variant="destructive" className="text-xs">
          Could not load the sessions: {errorMessage(sessions.error)}
        </Alert>
      ) : (
        <ul aria-label="Sessions" className="space-y-1.5">
          {list.map((s) => (
            <li
              key={s.id}
              aria-label={s.current ? 'This browser' : describeAgent(s.userAgent)}
              className="border-border flex items-center gap-3 rounded-lg border px-3 py-2 text-xs"
            >
              <div className="min-w-0 flex-1">
                <div className="truncate font-medium" title={s.userAgent}>
                  {describeAgent(s.userAgent)}
                  {s.current ? <span className="text-primary ml-2">this browser</span> : null}
                </div>
                <div className="text-muted-foreground">
                  Signed in {new Date(s.createdAt).toLocaleString()} · last seen{' '}
                  {new Date(s.lastSeenAt).toLocaleString()}
                </div>
              </div>
              <Button
                variant="ghost"
                size="sm"
                aria-label={`End session: ${s.current ? 'this browser' : describeAgent(s.userAgent)}`}
                onClick={() => end.mutate(s)}
              >
                End
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="space-y-2">
        {rotate.data ? (
          <div className="space-y-1 text-xs">
            <p role="status">
              New token made; every other browser is signed out. Open this URL elsewhere to sign in
              there (it is shown once):
            </p>
            <div className="flex items-center gap-2">
              <input
                readOnly
                aria-label="New sign-in URL"
                value={rotate.data.url}
                className="border-border bg-muted min-w-0 flex-1 rounded-md border px-2 py-1 font-mono"
              />
              <CopyButton text={rotate.data.url} label="Copy URL" />
            </div>
          </div>
        ) : confirmRotate ? (
          <ConfirmQuestion
            question="Make a new token? The printed URL stops working and every other browser is signed out."
            confirmLabel="Make a new token"
            pending={rotate.isPending}
            stacked
            onConfirm={() => {
              setConfirmRotate(false);
              rotate.mutate();
            }}
            onCancel={() => setConfirmRotate(false)}
          />
        ) : (
          <Button variant="outline" size="sm" onClick={() => setConfirmRotate(true)}>
            New token…
          </Button>
        )}
      </div>
      {failed ? (
        <Alert variant="destructive" className="text-xs">
          {errorMessage(failed)}
        </Alert>
      ) : null}
    </section>
  );
}

/** A short name for a browser from its user agent. */
function describeAgent(ua: string): string {
  const browser = /Firefox\/|Edg\/|Chrome\/|Safari\//.exec(ua)?.[0]?.replace('/', '') ?? '';
  const os = /Windows|Mac OS X|Android|iPhone|Linux/.exec(ua)?.[0] ?? '';
  const name = [browser === 'Edg' ? 'Edge' : browser, os && `on ${os}`].filter(Boolean).join(' ');
  return name || ua || 'Unknown browser';
}
