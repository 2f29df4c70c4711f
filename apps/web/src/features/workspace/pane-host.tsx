import { Suspense, memo, useCallback, useState } from 'react';
import type { PaneNode, PaneState } from '@boocode/protocol';
import { Spinner, cn } from '@boocode/ui';
import { PaneSlotContext, type PaneSlot } from './pane-chrome.tsx';
import { paneKind } from './pane-registry.tsx';

export interface HostProps {
  pane: PaneNode;
  slot: PaneSlot;
  hidden: boolean;
  active: boolean;
  hostRef: (id: string, el: HTMLElement | null) => void;
  onActive: (paneId: string) => void;
  onState: (paneId: string, state: PaneState) => void;
}

/** One pane: a region named after its title, laid over its slot. */
export const PaneHost = memo(function PaneHost({
  pane,
  slot,
  hidden,
  active,
  hostRef,
  onActive,
  onState,
}: HostProps) {
  const kind = paneKind(pane.pane);
  const [title, setTitle] = useState<string | null>(null);
  const { id } = pane;
  const update = useCallback((next: PaneState) => onState(id, next), [onState, id]);
  const ref = useCallback((el: HTMLElement | null) => hostRef(id, el), [hostRef, id]);
  const Component = kind.Component;
  const followsUrl = pane.pane.kind === 'chat' && pane.pane.followsUrl;

  return (
    <section
      ref={ref}
      aria-label={title ?? kind.label}
      data-pane-id={id}
      data-pane-kind={pane.pane.kind}
      data-follows-url={followsUrl || undefined}
      data-active={active || undefined}
      tabIndex={-1}
      hidden={hidden}
      onFocusCapture={() => onActive(id)}
      onPointerDownCapture={() => onActive(id)}
      className={cn(
        'bg-background absolute flex flex-col overflow-hidden outline-none',
        slot.maximized && 'z-10',
        // The active pane's edge, shown only when there is more than one to tell apart.
        !slot.alone &&
          !slot.maximized &&
          'after:pointer-events-none after:absolute after:inset-x-0 after:top-0 after:h-0.5 after:transition-colors',
        !slot.alone && !slot.maximized && active && 'after:bg-primary/70',
      )}
    >
      <PaneSlotContext.Provider value={slot}>
        <Suspense
          fallback={
            <div className="text-muted-foreground flex flex-1 items-center justify-center">
              <Spinner />
            </div>
          }
        >
          <Component paneId={id} state={pane.pane} update={update} setTitle={setTitle} />
        </Suspense>
      </PaneSlotContext.Provider>
    </section>
  );
});
