import { useEffect, useState } from 'react';
import { defaultWorkspace, type Workspace } from '@boocode/protocol';
import { errorMessage } from '../../lib/api.ts';
import { toastError } from '../../lib/toast.ts';
import { saveWorkspace, useStoredWorkspace } from './workspace-api.ts';

const SAVE_DELAY_MS = 400;

/**
 * Holds the page's latest workspace and saves it after a short quiet spell (a drag of a
 * separator is one save, not fifty). One save is in flight at a time, so an older layout never
 * lands after a newer one; what is unsaved goes out with keepalive when the page is hidden.
 */
class WorkspaceSaver {
  current: Workspace | null = null;
  private unsaved: Workspace | null = null;
  private inFlight = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failedOnce = false;

  constructor(private readonly onChange: (w: Workspace) => void) {}

  /** The stored workspace, taken as the start unless the page has changed it already. */
  seed(w: Workspace): void {
    this.current ??= w;
  }

  change(f: (w: Workspace) => Workspace): void {
    if (!this.current) return;
    const next = f(this.current);
    if (next === this.current) return;
    this.current = next;
    this.unsaved = next;
    this.onChange(next);
    this.schedule();
  }

  /** The page is going away: what is unsaved leaves now, with keepalive. */
  leave = (): void => {
    if (document.visibilityState !== 'hidden' || !this.unsaved) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.unsaved;
    this.unsaved = null;
    saveWorkspace(next, true).catch(() => {
      this.unsaved ??= next;
    });
  };

  dispose(): void {
    clearTimeout(this.timer);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SAVE_DELAY_MS);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    if (this.inFlight || !this.unsaved) return;
    const next = this.unsaved;
    this.unsaved = null;
    this.inFlight = true;
    try {
      await saveWorkspace(next);
      this.failedOnce = false;
    } catch (err) {
      // Kept for the next change or the page's exit; said once, not on every drag.
      this.unsaved ??= next;
      if (!this.failedOnce) toastError(`The layout was not saved: ${errorMessage(err)}`);
      this.failedOnce = true;
    } finally {
      this.inFlight = false;
    }
    if (this.unsaved && !this.timer) this.schedule();
  }
}

/**
 * The page's workspace: loaded from the server once (the default if that fails), then changed
 * here at once and saved in the background.
 */
export function useSavedWorkspace(): {
  workspace: Workspace | null;
  setWorkspace: (change: (w: Workspace) => Workspace) => void;
} {
  const stored = useStoredWorkspace();
  const [local, setLocal] = useState<Workspace | null>(null);
  const [saver] = useState(() => new WorkspaceSaver(setLocal));
  const [setWorkspace] = useState(() => (f: (w: Workspace) => Workspace) => saver.change(f));

  const failed = stored.isError;
  const loaded = stored.data?.workspace ?? null;
  const [fallback] = useState(defaultWorkspace);
  const start = loaded ?? (failed ? fallback : null);
  useEffect(() => {
    if (start) saver.seed(start);
  }, [saver, start]);

  useEffect(() => {
    document.addEventListener('visibilitychange', saver.leave);
    window.addEventListener('pagehide', saver.leave);
    return () => {
      document.removeEventListener('visibilitychange', saver.leave);
      window.removeEventListener('pagehide', saver.leave);
      saver.dispose();
    };
  }, [saver]);

  return { workspace: local ?? start, setWorkspace };
}
