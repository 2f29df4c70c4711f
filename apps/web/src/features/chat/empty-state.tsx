import type { ReactNode } from 'react';
import { Kbd } from '@boocode/ui';
import { MessageSquare } from 'lucide-react';

/** What an empty chat shows above the composer. */
export function EmptyState({ children }: { children?: ReactNode }) {
  return (
    // Centred by its margins, so that in a short pane it scrolls rather than being cut off.
    // A container of its height: a short pane drops the icon and the tips, then the blurb, so
    // that what can be chosen (the agent of a new chat) stays in view.
    <div className="[container-type:size] flex min-h-0 flex-1 overflow-y-auto p-6">
      <div className="m-auto max-w-sm text-center">
        <MessageSquare
          aria-hidden="true"
          className="text-muted-foreground/60 mx-auto mb-3 size-8 [@container(max-height:24rem)]:hidden"
        />
        <p className="text-base font-medium">Start a conversation</p>
        <p className="text-muted-foreground mt-1 text-sm [@container(max-height:16rem)]:hidden">
          Ask about code, paste an error, or sketch a plan. Replies stream in as they are written.
        </p>
        <ul className="text-muted-foreground mt-4 space-y-1.5 text-xs [@container(max-height:24rem)]:hidden">
          <li>
            <Kbd>Ctrl</Kbd> <Kbd>Shift</Kbd> <Kbd>O</Kbd> new chat
          </li>
          <li>
            <Kbd>/</Kbd> search chats · <Kbd>Esc</Kbd> stop a reply
          </li>
        </ul>
        {children}
      </div>
    </div>
  );
}
