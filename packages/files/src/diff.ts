import { createTwoFilesPatch, structuredPatch } from 'diff';

/** One hunk of a unified diff; lines start with ' ', '-', '+' or '\'. */
export type DiffHunk = {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
};

export type ChangeDiff = { hunks: DiffHunk[]; additions: number; deletions: number };

/** The line diff of a change (null content: the file does not exist), 3 lines of context. */
export function changeDiff(before: string | null, after: string | null): ChangeDiff {
  const patch = structuredPatch('a', 'b', before ?? '', after ?? '', undefined, undefined, {
    context: 3,
  });
  let additions = 0;
  let deletions = 0;
  for (const h of patch.hunks)
    for (const line of h.lines) {
      if (line.startsWith('+')) additions += 1;
      else if (line.startsWith('-')) deletions += 1;
    }
  return {
    hunks: patch.hunks.map(({ oldStart, oldLines, newStart, newLines, lines }) => ({
      oldStart,
      oldLines,
      newStart,
      newLines,
      lines,
    })),
    additions,
    deletions,
  };
}

/** A unified diff as text (git-style headers), for a model to read what it queued. */
export function unifiedDiff(path: string, before: string | null, after: string | null): string {
  return createTwoFilesPatch(
    before === null ? '/dev/null' : `a/${path}`,
    after === null ? '/dev/null' : `b/${path}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 3 },
  )
    .split('\n')
    .filter((l) => !l.startsWith('====='))
    .join('\n');
}
