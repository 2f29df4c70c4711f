import type { ReactNode } from 'react';
import { Alert, Button, Spinner } from '@boocode/ui';
import { errorMessage } from '../../lib/api.ts';
import { NotSignedIn } from './not-signed-in.tsx';
import { useSession } from './session.ts';

/** Renders `children` only for a signed-in user. */
export function AuthGate({ children }: { children: ReactNode }) {
  const session = useSession();
  if (session.isPending) {
    return (
      <div className="text-muted-foreground flex h-full items-center justify-center">
        <Spinner />
        <span className="sr-only">Signing in…</span>
      </div>
    );
  }
  if (session.isError) {
    return (
      <main className="flex h-full items-center justify-center p-6">
        <Alert variant="destructive" className="flex max-w-md flex-col items-start gap-3">
          <span>{errorMessage(session.error)}</span>
          <Button variant="outline" size="sm" onClick={() => void session.refetch()}>
            Try again
          </Button>
        </Alert>
      </main>
    );
  }
  if (!session.data) return <NotSignedIn />;
  return children;
}
