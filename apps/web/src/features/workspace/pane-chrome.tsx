import { createContext, useContext, type ReactNode } from 'react';
import type { Chat, Orientation, PaneState } from '@boocode/protocol';
import { Button } from '@boocode/ui';
import { Columns2, Maximize2, Minimize2, PanelLeft, Rows2, X, type LucideIcon } from 'lucide-react';

/** What any pane may ask of the workspace around it. */
export interface WorkspaceControls {
  split: (paneId: string, orientation: Orientation) => void;
  close: (paneId: string) => void;
  toggleMaximize: (paneId: string) => void;
  /**
   * Opens a new pane beside the active one, or beside the biggest when the active one has no
   * room for two (alone in an empty workspace).
   */
  open: (state: PaneState) => void;
  sidebarOpen: boolean;
  toggleSidebar: () => void;
  /** Shows the chat in the address bar in its pane (making one if needed) and focuses its box. */
  newUrlChat: () => void;
  /** Makes the address-bar chat's pane the active one (shown, on a narrow screen). */
  showUrlChat: () => void;
  /** A chat renamed in the sidebar: every pane showing it takes the new title at once. */
  onChatRenamed: (listener: (chat: Chat) => void) => () => void;
}

export const WorkspaceContext = createContext<WorkspaceControls | null>(null);

export function useWorkspaceControls(): WorkspaceControls {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error('useWorkspaceControls outside the workspace');
  return value;
}

/** Where one pane sits: read by its header's buttons. */
export interface PaneSlot {
  paneId: string;
  /** The only pane open: nothing to maximise over. */
  alone: boolean;
  maximized: boolean;
  /** Top left in reading order: its header holds the sidebar toggle. */
  first: boolean;
}

export const PaneSlotContext = createContext<PaneSlot | null>(null);

export function usePaneSlot(): PaneSlot {
  const value = useContext(PaneSlotContext);
  if (!value) throw new Error('usePaneSlot outside a pane');
  return value;
}

/** The buttons every pane's header ends with: split, maximise, close. */
export function PaneActions() {
  const { paneId, alone, maximized } = usePaneSlot();
  const ws = useWorkspaceControls();
  return (
    <div className="flex shrink-0 items-center" role="group" aria-label="Pane">
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Split right"
        title="Split right"
        onClick={() => ws.split(paneId, 'horizontal')}
      >
        <Columns2 />
      </Button>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Split down"
        title="Split down"
        onClick={() => ws.split(paneId, 'vertical')}
      >
        <Rows2 />
      </Button>
      {alone ? null : (
        <Button
          variant="ghost"
          size="icon-sm"
          aria-label={maximized ? 'Restore pane' : 'Maximise pane'}
          aria-pressed={maximized}
          title={maximized ? 'Restore pane (Ctrl+Alt+Enter)' : 'Maximise pane (Ctrl+Alt+Enter)'}
          onClick={() => ws.toggleMaximize(paneId)}
        >
          {maximized ? <Minimize2 /> : <Maximize2 />}
        </Button>
      )}
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Close pane"
        title="Close pane"
        onClick={() => ws.close(paneId)}
        className="hover:text-destructive-text"
      >
        <X />
      </Button>
    </div>
  );
}

/** The sidebar toggle, in the first pane's header only. */
export function SidebarToggle() {
  const { first } = usePaneSlot();
  return first ? <SidebarToggleButton /> : null;
}

/** The button that folds the sidebar away or brings it back. */
export function SidebarToggleButton() {
  const ws = useWorkspaceControls();
  return (
    <Button
      variant="ghost"
      size="icon"
      aria-label="Toggle sidebar"
      aria-expanded={ws.sidebarOpen}
      aria-controls="sidebar"
      title="Toggle sidebar"
      onClick={ws.toggleSidebar}
    >
      <PanelLeft />
    </Button>
  );
}

/**
 * The header of a pane that has none of its own (chat panes use ChatView's): the sidebar
 * toggle when first, an icon and the title, the kind's own controls, then the pane's buttons.
 */
export function PaneHeader({
  icon: Icon,
  title,
  children,
}: {
  icon: LucideIcon;
  title: string;
  children?: ReactNode;
}) {
  return (
    <header className="border-border flex h-12 shrink-0 items-center gap-2 border-b px-2 sm:px-3">
      <SidebarToggle />
      <Icon aria-hidden="true" className="text-muted-foreground size-4 shrink-0" />
      <h2 className="min-w-0 flex-1 truncate text-sm font-medium" title={title}>
        {title}
      </h2>
      {children}
      <PaneActions />
    </header>
  );
}
