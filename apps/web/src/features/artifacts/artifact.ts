/** What a fenced block holds, as the pane shows it: a page, an image, or a document. */
export type ArtifactKind = 'html' | 'svg' | 'markdown';

export interface Artifact {
  kind: ArtifactKind;
  /** The block's text, exactly as the model wrote it. */
  code: string;
  title: string;
}

const KINDS: Record<string, ArtifactKind> = {
  html: 'html',
  htm: 'html',
  svg: 'svg',
  markdown: 'markdown',
  md: 'markdown',
};

/** The artifact a fence's info string names (`html`, `svg`, `markdown`, `md`), or null. */
export function artifactKind(lang: string): ArtifactKind | null {
  return KINDS[lang.trim().toLowerCase()] ?? null;
}

export function toArtifact(kind: ArtifactKind, code: string): Artifact {
  return { kind, code, title: titleOf(kind, code) };
}

function titleOf(kind: ArtifactKind, code: string): string {
  switch (kind) {
    case 'html':
      return htmlTitle(code) || 'HTML artifact';
    case 'svg':
      return svgTitle(code) || 'SVG artifact';
    case 'markdown':
      return markdownHeading(code) || 'Markdown artifact';
  }
}

// DOMParser builds an inert document: no script runs and nothing loads, so it is safe on
// whatever the model wrote, and it decodes entities the way the frame will.
function htmlTitle(code: string): string {
  return new DOMParser().parseFromString(code, 'text/html').title.trim();
}

function svgTitle(code: string): string {
  const doc = new DOMParser().parseFromString(code, 'text/html');
  return doc.querySelector('svg > title')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$/;

/** The first heading's text, outside code fences, with inline markup stripped. */
function markdownHeading(code: string): string {
  let fence: string | null = null;
  for (const line of code.split('\n')) {
    if (fence) {
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      fence = open[1];
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading?.[1]) return plainInline(heading[1]);
  }
  return '';
}

function plainInline(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .trim();
}

function closesFence(line: string, fence: string): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m?.[1] && m[1].charAt(0) === fence.charAt(0) && m[1].length >= fence.length;
}

interface Fence {
  lang: string;
  code: string;
  closed: boolean;
}

/** The top-level fenced blocks of a Markdown text, the last one possibly still open. */
export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let open: { marker: string; lang: string; lines: string[] } | null = null;
  for (const line of text.split('\n')) {
    if (open) {
      if (closesFence(line, open.marker)) {
        fences.push({ lang: open.lang, code: open.lines.join('\n'), closed: true });
        open = null;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const m = FENCE_OPEN.exec(line);
    // A backtick fence's info string cannot hold a backtick (that is inline code).
    if (m?.[1] && !(m[1].startsWith('`') && m[2]?.includes('`'))) {
      open = { marker: m[1], lang: m[2]?.trim().split(/\s+/)[0] ?? '', lines: [] };
    }
  }
  if (open) fences.push({ lang: open.lang, code: open.lines.join('\n'), closed: false });
  return fences;
}

/** The last complete HTML or SVG block of a reply: what the pane follows when a reply ends. */
export function latestPage(text: string): Artifact | null {
  const fences = findFences(text);
  for (let i = fences.length - 1; i >= 0; i--) {
    const f = fences[i];
    const kind = f?.closed ? artifactKind(f.lang) : null;
    if (f && (kind === 'html' || kind === 'svg')) return toArtifact(kind, f.code);
  }
  return null;
}

/**
 * True when a code node of `source` ending at `endOffset` was closed by a fence, rather than
 * running to the end of the text (a block still streaming in).
 */
export function fenceClosedAt(source: string, endOffset: number): boolean {
  const upTo = source.slice(0, endOffset);
  const lastLine = upTo.slice(upTo.lastIndexOf('\n') + 1);
  return /^[ \t>]*(`{3,}|~{3,})[ \t]*$/.test(lastLine);
}

export function sameArtifact(a: Artifact | null, b: Artifact | null): boolean {
  return !!a && !!b && a.kind === b.kind && a.code === b.code;
}

const FILES: Record<ArtifactKind, { ext: string; type: string }> = {
  html: { ext: 'html', type: 'text/html' },
  svg: { ext: 'svg', type: 'image/svg+xml' },
  markdown: { ext: 'md', type: 'text/markdown' },
};

/** A file name from the title (`My page` -> `my-page.html`) and the type to save it as. */
export function fileFor(artifact: Artifact): { name: string; type: string } {
  const { ext, type } = FILES[artifact.kind];
  const stem =
    artifact.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'artifact';
  return { name: `${stem}.${ext}`, type: `${type};charset=utf-8` };
}
