import { useState } from 'react';
import type { Message, Part, ToolResultPart } from '@boocode/protocol';
import { unreachable } from '@boocode/protocol';
import { Alert } from '@boocode/ui';
import { ChevronRight } from 'lucide-react';
import { Markdown } from './markdown.tsx';
import { SubtaskRow } from './subtask-row.tsx';
import { ToolCall } from './tool-call.tsx';

/** The parts of an assistant reply, in order; a tool's result shows inside its call. */
export function MessageParts({ message }: { message: Message }) {
  const last = message.parts.length - 1;
  // A reply that did not complete may stop mid-word: its last text is cut (an error note after it).
  const cutAt =
    message.status === 'complete' ? -1 : message.parts[last]?.type === 'error' ? last - 1 : last;
  const results = new Map<string, ToolResultPart>();
  const calls = new Set<string>();
  for (const p of message.parts) {
    if (p.type === 'tool_result') results.set(p.callId, p);
    else if (p.type === 'tool_call') calls.add(p.callId);
  }
  return message.parts.map((part, i) => (
    <PartView
      key={i}
      part={part}
      streaming={message.status === 'streaming' && i === last}
      cut={i === cutAt}
      results={results}
      calls={calls}
    />
  ));
}

interface PartViewProps {
  part: Part;
  streaming: boolean;
  /** The text stops where it was cut off (streaming, stopped, failed). */
  cut: boolean;
  results: Map<string, ToolResultPart>;
  calls: Set<string>;
}

function PartView({ part, streaming, cut, results, calls }: PartViewProps) {
  switch (part.type) {
    case 'text':
      return <Markdown text={part.text} streaming={streaming} cut={cut} />;
    case 'reasoning':
      return <Reasoning text={part.text} streaming={streaming} />;
    case 'error':
      return (
        <Alert variant="destructive" className="my-2 whitespace-pre-wrap">
          {part.text}
        </Alert>
      );
    case 'tool_call':
      if (part.name === 'dispatch')
        return <SubtaskRow call={part} result={results.get(part.callId) ?? null} />;
      return <ToolCall call={part} result={results.get(part.callId) ?? null} />;
    case 'tool_result':
      // Shown inside its call; a result whose call is missing still gets a block of its own.
      return calls.has(part.callId) ? null : <ToolCall call={null} result={part} />;
    case 'compaction':
      return null; // a compaction marker shows on its own (compaction-marker.tsx)
    default:
      return unreachable(part);
  }
}

/**
 * Open while the model is thinking aloud, folded away once it answers; a reader's own toggle wins.
 */
export function Reasoning({ text, streaming }: { text: string; streaming: boolean }) {
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
