import { memo, type CSSProperties } from 'react';
import { Button } from '@boocode/ui';
import { PanelRight } from 'lucide-react';
import { artifactKind, toArtifact } from '../artifacts/artifact.ts';
import { useArtifactOpener } from '../artifacts/artifact-context.ts';
import { CopyButton } from './copy-button.tsx';
import { useTokens, type Token } from './highlighter.ts';

/**
 * A fenced code block. Highlighted and plain code share one box and one font, and highlighting
 * is synchronous, so a block never flickers or jumps: not when the highlighter arrives, not while
 * a fence is still open and growing during a stream.
 */
export const CodeBlock = memo(function CodeBlock({
  code,
  lang,
  complete = true,
}: {
  code: string;
  lang: string;
  /** False while the fence is still open (streaming in): it cannot be opened as an artifact yet. */
  complete?: boolean;
}) {
  return (
    <div className="group/code border-border bg-code my-3 overflow-hidden rounded-lg border">
      <div className="border-border/70 flex h-8 items-center justify-between border-b pr-1 pl-3">
        <span className="text-muted-foreground font-mono text-xs">{lang || 'text'}</span>
        <div className="flex items-center gap-0.5">
          {complete ? <OpenArtifactButton code={code} lang={lang} /> : null}
          <CopyButton text={code} label="Copy code" />
        </div>
      </div>
      <pre className="overflow-x-auto px-4 py-3 font-mono text-[13px] leading-5 text-[#e6edf3]">
        <HighlightedCode code={code} lang={lang} />
      </pre>
    </div>
  );
});

/** `code` as a `<code>` element, coloured as soon as the highlighter worker has done it. */
export function HighlightedCode({ code, lang }: { code: string; lang: string }) {
  const lines = useTokens(code, lang);
  return (
    <code>
      {lines ? lines.map((tokens, i) => <Line key={i} first={i === 0} tokens={tokens} />) : code}
    </code>
  );
}

/** Shown on HTML, SVG and Markdown blocks where a pane can show them (not inside the pane). */
function OpenArtifactButton({ code, lang }: { code: string; lang: string }) {
  const open = useArtifactOpener();
  const kind = artifactKind(lang);
  if (!open || !kind) return null;
  return (
    <Button
      variant="ghost"
      size="sm"
      className="h-6 px-1.5 [&_svg]:size-3.5"
      title="Open in the side pane"
      onClick={() => open(toArtifact(kind, code))}
    >
      <PanelRight />
      Open artifact
    </Button>
  );
}

// Lines keep their token arrays across renders (useTokens reuses them), so only new lines render.
const Line = memo(function Line({ tokens, first }: { tokens: Token[]; first: boolean }) {
  return (
    <>
      {first ? null : '\n'}
      {tokens.map((t, j) => (
        <span key={j} style={tokenStyle(t)}>
          {t.content}
        </span>
      ))}
    </>
  );
});

/** A token's colour and style, as inline style (none for plain text). */
export function tokenStyle(t: Token): CSSProperties | undefined {
  const fs = t.fontStyle ?? 0;
  if (!t.color && fs <= 0) return undefined;
  return {
    color: t.color,
    fontStyle: fs > 0 && fs & 1 ? 'italic' : undefined,
    fontWeight: fs > 0 && fs & 2 ? 600 : undefined,
    textDecoration: fs > 0 && fs & 4 ? 'underline' : undefined,
  };
}
