import { useState } from 'react';
import type { Message, Part } from '@boocode/protocol';
import { unreachable } from '@boocode/protocol';
import { Alert } from '@boocode/ui';
import { ChevronRight } from 'lucide-react';
import { Markdown } from './markdown.tsx';

/** The parts of an assistant reply, in order. */
export function MessageParts({ message }: { message: Message }) {
  const last = message.parts.length - 1;
  return message.parts.map((part, i) => (
    <PartView key={i} part={part} streaming={message.status === 'streaming' && i === last} />
  ));
}

function PartView({ part, streaming }: { part: Part; streaming: boolean }) {
  switch (part.type) {
    case 'text':
      return <Markdown text={part.text} />;
    case 'reasoning':
      return <Reasoning text={part.text} streaming={streaming} />;
    case 'error':
      return (
        <Alert variant="destructive" className="my-2 whitespace-pre-wrap">
          {part.text}
        </Alert>
      );
    default:
      return unreachable(part);
  }
}

/**
 * Open while the model is thinking aloud, folded away once it answers; a reader's own toggle wins.
 */
function Reasoning({ text, streaming }: { text: string; streaming: boolean }) {
  const [userOpen, setUserOpen] = useState<boolean | null>(null);
  const open = userOpen ?? streaming;
  return (
    <details
      open={open}
      onToggle={(e) => {
        // The browser also fires toggle when React flips `open`; only a change we did not ask
        // for is the reader's.
        if (e.currentTarget.open !== open) setUserOpen(e.currentTarget.open);
      }}
      className="group/reasoning border-border/60 bg-muted/30 text-muted-foreground my-2 rounded-md border"
    >
      <summary className="hover:text-foreground flex cursor-pointer list-none items-center gap-1.5 px-3 py-1.5 text-xs font-medium select-none [&::-webkit-details-marker]:hidden">
        <ChevronRight
          aria-hidden="true"
          className="size-3.5 transition-transform group-open/reasoning:rotate-90"
        />
        Reasoning
      </summary>
      <div className="border-border/60 border-t px-3 py-2 text-[13px] leading-6 whitespace-pre-wrap italic">
        {text}
      </div>
    </details>
  );
}
