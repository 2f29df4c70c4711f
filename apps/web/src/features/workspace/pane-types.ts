import type { ComponentType } from 'react';
import type { PaneKind, PaneState } from '@boocode/protocol';
import type { LucideIcon } from 'lucide-react';

/** What the workspace gives the component of a pane. */
export interface PaneProps<S extends PaneState = PaneState> {
  paneId: string;
  state: S;
  /** Replaces the pane's state; it is saved with the layout. */
  update: (next: S) => void;
  /** Names the pane's region (screen readers, tests) and is shown in its header. */
  setTitle: (title: string) => void;
}

/** One kind of pane: how it looks, what it shows and how a new one is made. */
export interface PaneKindDef<S extends PaneState = PaneState> {
  /** "Chat", "Terminal": said in the region's name until the pane gives its title. */
  label: string;
  icon: LucideIcon;
  Component: ComponentType<PaneProps<S>>;
  /** The state of the pane "Split right/down" opens beside one of this kind. */
  splitFrom: (state: S) => PaneState | Promise<PaneState>;
  /**
   * The kind's block in the sidebar: its "New ..." button and whatever list it keeps
   * (terminals); `open` puts a pane of any state beside the active one.
   */
  Sidebar?: ComponentType<{ open: (state: PaneState) => void }>;
  /** The element to focus when the pane is entered from the keyboard. */
  focusSelector?: string;
  /**
   * What makes two panes of this kind the same (a terminal's id): opening one that is already
   * on screen focuses it instead of opening it twice.
   */
  identity?: (state: S) => string;
  /**
   * What a pane on screen becomes when the same one is opened again (a code link to another
   * line of its file); without it the pane stays as it is and is only focused.
   */
  reopen?: (open: S, next: S) => S;
}

/** Every kind of the protocol's PaneState, each with its own state type. */
export type PaneRegistry = { [K in PaneKind]: PaneKindDef<Extract<PaneState, { kind: K }>> };
