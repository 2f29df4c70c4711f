const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits Markdown into top-level chunks at blank lines that are outside code fences and are
 * followed by an unindented line (so list items keep their indented continuations). Each chunk
 * is rendered and memoized on its own: while a long reply streams, only the last one re-parses.
 */
export function splitBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: { char: string; length: number } | null = null;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence) {
      current.push(line);
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    if (open?.[1]) {
      fence = { char: open[1].charAt(0), length: open[1].length };
      current.push(line);
      continue;
    }
    const next = lines[i + 1];
    if (line.trim() === '' && current.length > 0 && next !== undefined && /^\S/.test(next)) {
      blocks.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

function closesFence(line: string, fence: { char: string; length: number }): boolean {
  const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return !!m?.[1] && m[1].charAt(0) === fence.char && m[1].length >= fence.length;
}
