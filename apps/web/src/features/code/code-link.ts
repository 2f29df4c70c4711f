/**
 * The code graph's links (`graphLink` in packages/protocol/src/graph.ts):
 * `/projects/<id>/files/<path>#L<line>`, path segments URI-encoded. The chat's tools give one
 * with every hit; the web app opens them in a code pane instead of leaving the page.
 */
export interface CodeLink {
  projectId: string;
  path: string;
  line?: number;
}

const LINK = /^\/projects\/([0-9a-f-]{36})\/files\/([^#?\s]+)(?:#L(\d+))?$/i;

/** The file and line a link points at, or null for any other href. */
export function parseCodeLink(href: string): CodeLink | null {
  let rel = href;
  // The same link made absolute (a model that wrote the full address of this page's origin).
  if (/^https?:/i.test(href)) {
    try {
      const url = new URL(href);
      if (typeof location === 'undefined' || url.origin !== location.origin) return null;
      rel = url.pathname + url.hash;
    } catch {
      return null;
    }
  }
  const m = LINK.exec(rel);
  if (!m) return null;
  let path: string;
  try {
    path = m[2]!.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null; // a malformed %-escape
  }
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return null;
  const line = m[3] === undefined ? undefined : Number(m[3]);
  const link: CodeLink = { projectId: m[1]!.toLowerCase(), path };
  return line && line > 0 ? { ...link, line } : link;
}

/** A piece of plain text: words, or a code link found in it. */
export type TextPiece = { text: string } | { text: string; link: CodeLink };

const IN_TEXT = /\/projects\/[0-9a-f-]{36}\/files\/[^\s#?()<>"'`]+(?:#L\d+)?/gi;

/** Plain text (a tool's result) cut around the code links it holds. */
export function splitCodeLinks(text: string): TextPiece[] {
  const out: TextPiece[] = [];
  let from = 0;
  for (const m of text.matchAll(IN_TEXT)) {
    const link = parseCodeLink(m[0]);
    if (!link) continue;
    if (m.index > from) out.push({ text: text.slice(from, m.index) });
    out.push({ text: m[0], link });
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push({ text: text.slice(from) });
  return out;
}
