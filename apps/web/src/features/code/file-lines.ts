import type { FileContent } from '@boocode/protocol';

/**
 * The text lines of a file read through coder's REST (numbered `N\t` before each line, which
 * is dropped here), checked to follow on from the lines already read.
 */
export function linesOf(read: FileContent): string[] {
  if (read.content === '' && read.endLine === 0) return [];
  return read.content.split('\n').map((line, i) => {
    const prefix = `${read.startLine + i}\t`;
    return line.startsWith(prefix) ? line.slice(prefix.length) : line;
  });
}

/** Where to go on after a capped read: the line to start from, or null when it reached the end. */
export function nextStart(read: FileContent): number | null {
  if (!read.truncated) return null;
  // A line cut short is read again from its start (the note says so); otherwise the next one.
  const m = /continue with startLine=(\d+)/.exec(read.note ?? '');
  return m ? Number(m[1]) : read.endLine + 1;
}

/** The shiki grammar for a file, by its extension ('' for none: shown plain). */
export function langOfPath(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return '';
  const ext = name.slice(dot + 1);
  return EXTENSIONS[ext] ?? '';
}

const EXTENSIONS: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  json: 'json',
  py: 'python',
  go: 'go',
  rs: 'rust',
  sh: 'bash',
  bash: 'bash',
  html: 'html',
  css: 'css',
  sql: 'sql',
  yml: 'yaml',
  yaml: 'yaml',
  md: 'markdown',
  diff: 'diff',
  patch: 'diff',
};

/** The identifier in `text` at 1-based `column` (or just before it), with where it starts. */
export function wordAt(text: string, column: number): { word: string; column: number } | null {
  const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_$]/u.test(c);
  let i = column - 1;
  if (!isWord(text[i]) && isWord(text[i - 1])) i -= 1;
  if (!isWord(text[i])) return null;
  let start = i;
  let end = i + 1;
  while (isWord(text[start - 1])) start -= 1;
  while (isWord(text[end])) end += 1;
  const word = text.slice(start, end);
  return /^[\p{N}]/u.test(word) ? null : { word, column: start + 1 };
}
