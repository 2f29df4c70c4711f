import { useContext, type ComponentProps, type MouseEvent } from 'react';
import { WorkspaceContext } from '../workspace/pane-chrome.tsx';
import { parseCodeLink, splitCodeLinks, type CodeLink } from './code-link.ts';

/** Opens a code link in a code pane (focusing the one on that file); null outside a workspace. */
export function useOpenCodeLink(): ((link: CodeLink) => void) | null {
  const ws = useContext(WorkspaceContext);
  if (!ws) return null;
  return (link) =>
    ws.open({
      kind: 'code',
      projectId: link.projectId,
      path: link.path,
      ...(link.line ? { line: link.line } : {}),
    });
}

/**
 * A link in a chat message: a code link opens the file in a code pane at its line (a plain
 * click; a modified one is the browser's); any other goes to a new tab.
 */
export function MessageLink({ href, children, ...props }: ComponentProps<'a'>) {
  const open = useOpenCodeLink();
  const link = href ? parseCodeLink(href) : null;
  if (link && open) {
    return (
      <a href={href} {...props} onClick={(e) => openOnPlainClick(e, () => open(link))}>
        {children}
      </a>
    );
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" {...props}>
      {children}
    </a>
  );
}

/** Plain text (a tool's result) with its code links made links. */
export function LinkedText({ text }: { text: string }) {
  const open = useOpenCodeLink();
  if (!open) return text;
  return splitCodeLinks(text).map((piece, i) =>
    'link' in piece ? (
      <a
        key={i}
        href={piece.text}
        className="text-primary underline-offset-2 hover:underline"
        title={`Open ${piece.link.path}${piece.link.line ? ` at line ${piece.link.line}` : ''}`}
        onClick={(e) => openOnPlainClick(e, () => open(piece.link))}
      >
        {piece.text}
      </a>
    ) : (
      piece.text
    ),
  );
}

function openOnPlainClick(e: MouseEvent, open: () => void): void {
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  open();
}
