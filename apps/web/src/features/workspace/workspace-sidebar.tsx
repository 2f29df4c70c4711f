import type { PaneState } from '@boocode/protocol';
import { paneRegistry } from './pane-registry.tsx';
import type { PaneKindDef } from './pane-types.ts';

/** The sidebar blocks of the pane kinds that have one (terminals...), under the chat list. */
export function WorkspaceSidebar({ open }: { open: (state: PaneState) => void }) {
  const kinds = (Object.values(paneRegistry) as PaneKindDef[]).filter((k) => k.Sidebar);
  if (kinds.length === 0) return null;
  return (
    // No overflow clipping here: the blocks' popovers open upwards over the chat list; each
    // block's own list scrolls instead.
    <div className="border-border flex shrink-0 flex-col border-t">
      {kinds.map((k) => {
        const Block = k.Sidebar!;
        return <Block key={k.label} open={open} />;
      })}
    </div>
  );
}
