import { KeyRound } from 'lucide-react';

/** The full page shown when there is no valid session cookie. */
export function NotSignedIn() {
  return (
    <main className="flex h-full items-center justify-center p-6">
      <div className="border-border bg-card max-w-md rounded-xl border p-6 text-center shadow-xl shadow-black/30">
        <KeyRound className="text-muted-foreground mx-auto mb-3 size-8" aria-hidden="true" />
        <h1 className="mb-2 text-lg font-semibold">boocode</h1>
        <p role="alert" className="text-muted-foreground text-sm leading-6">
          Not signed in: open the URL that boocode printed at start (it carries the token).
        </p>
      </div>
    </main>
  );
}
