import { WifiOff } from 'lucide-react';
import { useWsDown } from '../lib/use-ws-status.ts';

/**
 * Shown only while the live connection is down; events resume from where they stopped. It sits
 * over the messages, above the message box, where it covers no control.
 */
export function ConnectionStatus() {
  const down = useWsDown();
  if (!down) return null;
  return (
    <div
      role="status"
      className="border-warning/40 bg-popover text-warning fixed bottom-24 left-1/2 z-40 flex -translate-x-1/2 items-center gap-2 rounded-full border px-3 py-1 text-xs shadow-lg shadow-black/40"
    >
      <WifiOff aria-hidden="true" className="size-3.5" />
      Reconnecting…
    </div>
  );
}
