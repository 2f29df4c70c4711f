import { lazy } from 'react';
import type { PaneState } from '@boocode/protocol';
import { FileCode, FileDiff, MessageSquare, SquareTerminal } from 'lucide-react';
import { splitTerminal } from '../terminal/split-terminal.ts';
import { TerminalsSidebar } from '../terminal/terminals-sidebar.tsx';
import { CoderSidebar, splitCoder } from '../coder/coder-sidebar.tsx';
import { CodeSidebar, codeIdentity, splitCode } from '../code/code-sidebar.tsx';
import { ChatPane } from './chat-pane.tsx';
import type { PaneKindDef, PaneRegistry } from './pane-types.ts';

/*
 * The kinds of pane the workspace can show. To add one (the coder pane, say):
 * 1. add its state to PaneState in packages/protocol/src/workspace.ts: an object with a
 *    `kind` literal and whatever the pane must remember across reloads (ids, not data);
 * 2. write its component in features/<kind>/, taking PaneProps<YourState>: call setTitle with
 *    its title, start its header with <PaneHeader> (or put <PaneActions/> and
 *    <SidebarToggle/> in a header of its own), and keep its own chat, if any, in a PaneChat
 *    field shown with <PaneChatSide> (see the terminal pane);
 * 3. register it below: this map must name every kind (TypeScript says so), and its `Sidebar`
 *    block (the "New ..." button) appears in the sidebar on its own.
 */
// xterm.js and its renderer are a third of the app: loaded with the first terminal pane.
const TerminalPane = lazy(() =>
  import('../terminal/terminal-pane.tsx').then((m) => ({ default: m.TerminalPane })),
);
// The coder and code panes (diffs, the arena, the code viewer) load with the first of each.
const CoderPane = lazy(() =>
  import('../coder/coder-pane.tsx').then((m) => ({ default: m.CoderPane })),
);
const CodePane = lazy(() => import('../code/code-pane.tsx').then((m) => ({ default: m.CodePane })));

export const paneRegistry: PaneRegistry = {
  chat: {
    label: 'Chat',
    icon: MessageSquare,
    Component: ChatPane,
    splitFrom: () => ({ kind: 'chat', chatId: null, followsUrl: false }),
    focusSelector: 'textarea[aria-label="Message"]',
  },
  terminal: {
    label: 'Terminal',
    icon: SquareTerminal,
    Component: TerminalPane,
    splitFrom: splitTerminal,
    Sidebar: TerminalsSidebar,
    focusSelector: '.xterm-helper-textarea',
    identity: (state) => state.terminalId,
  },
  coder: {
    label: 'Coder',
    icon: FileDiff,
    Component: CoderPane,
    splitFrom: splitCoder,
    Sidebar: CoderSidebar,
    focusSelector: 'textarea[aria-label="Message"]',
    identity: (state) => state.chatId,
  },
  code: {
    label: 'Code',
    icon: FileCode,
    Component: CodePane,
    splitFrom: splitCode,
    Sidebar: CodeSidebar,
    focusSelector: '[aria-label^="File "]',
    identity: codeIdentity,
    // A link to a line of a file already open moves that pane to the line.
    reopen: (_open, next) => next,
  },
};

/** The definition of a pane's kind, typed loosely for code that handles every kind alike. */
export function paneKind(state: PaneState): PaneKindDef {
  return paneRegistry[state.kind] as unknown as PaneKindDef;
}
