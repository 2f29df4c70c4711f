import { Button } from '@boocode/ui';
import { LayoutPanelLeft } from 'lucide-react';
import { SidebarToggleButton, useWorkspaceControls } from './pane-chrome.tsx';

/** Every pane closed: a way back to a chat; the sidebar has the other "New ..." buttons. */
export function EmptyWorkspace() {
  const ws = useWorkspaceControls();
  return (
    <div className="flex h-full flex-col">
      <header className="border-border flex h-12 shrink-0 items-center border-b px-2 sm:px-3">
        <SidebarToggleButton />
      </header>
      <div className="text-muted-foreground flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center text-sm">
        <LayoutPanelLeft aria-hidden="true" className="size-8 opacity-60" />
        <p>Every pane is closed.</p>
        <Button variant="outline" size="sm" onClick={ws.newUrlChat}>
          Open a chat pane
        </Button>
      </div>
    </div>
  );
}
