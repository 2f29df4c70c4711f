import type { PaneState } from '@boocode/protocol';
import { paneRegistry } from './pane-registry.tsx';
import type { PaneKindDef } from './pane-types.ts';

/** The sidebar blocks of the pane kinds that have one (terminals...), under the chat list. */
export function WorkspaceSidebar({ open }: { open: (state: PaneState) => void }) {
  const kinds = (Object.values(paneRegistry) as PaneKindDef[]).filter((k) => k.Sidebar);
  if (kinds.length === 0) return null;
  return (
    <div className="border-border flex max-h-[45%] shrink-0 flex-col overflow-y-auto border-t">
      {kinds.map((k) => {
        const Block = k.Sidebar!;
        return <Block key={k.label} open={open} />;
      })}
    </div>
  );
}
