import type { PaneState } from '@boocode/protocol';
import { InboxButton } from '../inbox/inbox-button.tsx';
import { paneRegistry } from './pane-registry.tsx';
import type { PaneKindDef } from './pane-types.ts';

/**
 * Under the chat list: the agents' Inbox, then the sidebar blocks of the pane kinds that have
 * one (terminals...).
 */
export function WorkspaceSidebar({ open }: { open: (state: PaneState) => void }) {
  const kinds = (Object.values(paneRegistry) as PaneKindDef[]).filter((k) => k.Sidebar);
  return (
    // No overflow clipping here: the blocks' popovers open upwards over the chat list; each
    // block's own list scrolls instead.
    <div className="border-border flex shrink-0 flex-col border-t">
      <div className="px-2 pt-2">
        <InboxButton open={open} />
      </div>
      {kinds.map((k) => {
        const Block = k.Sidebar!;
        return <Block key={k.label} open={open} />;
      })}
    </div>
  );
}
