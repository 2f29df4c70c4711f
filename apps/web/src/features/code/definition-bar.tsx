import type { GraphDefinition, GraphSymbol } from '@boocode/protocol';
import { Button } from '@boocode/ui';
import { X } from 'lucide-react';
import { Notes } from './calls-panel.tsx';
import { KindTag } from './outline-panel.tsx';

/** What "Go to definition" answered, when it did not simply go there. */
export interface DefinitionAnswer extends GraphDefinition {
  /** It went to the one definition; only its notes are left to say. */
  went: boolean;
}

/** Several definitions to choose from, none found, or the notes of the one it went to. */
export function DefinitionBar(props: {
  answer: DefinitionAnswer;
  onPick: (s: GraphSymbol) => void;
  onClose: () => void;
}) {
  const { answer, onPick, onClose } = props;
  const n = answer.definitions.length;
  const name = answer.name;
  const heading =
    name === null
      ? 'No name under the caret.'
      : answer.went
        ? `Went to the definition of ${name}.`
        : n === 0
          ? `No definition of ${name} in the index.`
          : `${n} definitions of ${name}:`;
  return (
    <section
      aria-label="Definitions"
      className="border-border bg-muted/40 max-h-48 shrink-0 overflow-y-auto border-b px-3 py-1.5 text-xs"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <div className="flex items-center gap-2">
        <p className="min-w-0 flex-1 font-medium">{heading}</p>
        <Button
          variant="ghost"
          size="icon-sm"
          className="size-5"
          aria-label="Close definitions"
          onClick={onClose}
        >
          <X />
        </Button>
      </div>
      {!answer.went && n > 0 ? (
        <ul>
          {answer.definitions.map((d) => (
            <li key={`${d.path}:${d.line}:${d.column}`}>
              <button
                type="button"
                autoFocus={d === answer.definitions[0]}
                className="hover:bg-accent/60 focus-visible:bg-accent/60 flex w-full items-center gap-1 rounded px-1 py-0.5 text-left font-mono outline-none"
                onClick={() => onPick(d)}
              >
                <KindTag kind={d.kind} />
                <span>{d.container ? `${d.container}.${d.name}` : d.name}</span>
                <span className="text-muted-foreground ml-auto">
                  {d.path}:{d.line}
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <Notes notes={answer.notes} />
    </section>
  );
}
