import { useLayoutEffect, useRef, useState } from 'react';
import { ArrowUp, Square } from 'lucide-react';
import { Button, Textarea } from '@boocode/ui';

/** Marks the message box, for code that moves the focus to it within a pane. */
export const COMPOSER_ATTR = 'data-composer';
const MAX_HEIGHT_PX = 240;
const FIELD_SIZING = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

interface Props {
  /** Resets the draft when the reader switches chats. */
  chatKey: string | null;
  running: boolean;
  /** Resolves false when the message did not go out, so the draft is put back. */
  onSend: (content: string) => Promise<boolean>;
  onStop: () => void;
  /** Who the message goes to, in the empty box: "boocode" unless an agent. */
  recipient?: string;
}

/** The message box: Enter sends, Shift+Enter breaks the line (Esc stops a reply: see ChatView). */
export function Composer({ chatKey, running, onSend, onStop, recipient = 'boocode' }: Props) {
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [draftFor, setDraftFor] = useState(chatKey);
  const ref = useRef<HTMLTextAreaElement>(null);

  // A draft belongs to the chat it was typed in; a new chat that was just created by sending
  // keeps nothing either, since the draft was cleared when it went out.
  if (draftFor !== chatKey) {
    setDraftFor(chatKey);
    if (draftFor !== null) setDraft('');
  }

  // The box grows with its text up to MAX_HEIGHT_PX: by CSS where the browser can
  // (field-sizing), else measured here. An empty box is one line as laid out, never measured:
  // a box measured while its pane is hidden or narrow would keep that height.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || FIELD_SIZING) return;
    el.style.height = '';
    if (draft === '') return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [draft]);

  const empty = draft.trim() === '';

  const send = async () => {
    if (empty || running || sending) return;
    const content = draft;
    setDraft('');
    setSending(true);
    const ok = await onSend(content);
    setSending(false);
    if (!ok) setDraft((current) => (current === '' ? content : current));
  };

  return (
    <form
      className="@container mx-auto w-full max-w-3xl px-4 pb-4 sm:px-6"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div className="border-input bg-card focus-within:border-ring/70 flex items-end gap-2 rounded-xl border p-2 shadow-lg shadow-black/20">
        <Textarea
          ref={ref}
          {...{ [COMPOSER_ATTR]: '' }}
          aria-label="Message"
          placeholder={`Message ${recipient}…`}
          rows={1}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
          className="field-sizing-content max-h-60 min-h-9 border-0 bg-transparent px-2 py-1.5 text-[15px] focus-visible:ring-0"
        />
        {running ? (
          <Button variant="secondary" onClick={onStop} className="border-border h-9 border">
            <Square className="fill-current" />
            <span className="@max-sm:sr-only">Stop</span>
          </Button>
        ) : (
          <Button type="submit" disabled={empty || sending} className="h-9">
            <ArrowUp />
            <span className="@max-sm:sr-only">Send</span>
          </Button>
        )}
      </div>
      <p className="text-muted-foreground mt-1.5 hidden px-1 text-xs sm:block">
        Enter to send · Shift+Enter for a new line{running ? ' · Esc to stop' : ''}
      </p>
    </form>
  );
}
