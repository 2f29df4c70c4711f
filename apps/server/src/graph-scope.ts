import type { GraphIndexer } from '@boocode/graph';
import type { Project } from '@boocode/protocol';

/** How long a query waits for an index being built before it answers with what there is. */
export const INDEX_WAIT_MS = 20_000;

/**
 * Brings the index of `projects` up to date before a query (a re-scan when the last is stale
 * or a change was seen). A project whose index takes longer than `waitMs` is answered from
 * what is indexed so far, with a note saying so.
 */
export async function freshen(
  indexer: GraphIndexer,
  projects: Project[],
  waitMs = INDEX_WAIT_MS,
): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), waitMs);
  });
  const ready = Promise.all(projects.map((p) => indexer.ensureFresh(p))).then(() => 'ready');
  const outcome = await Promise.race([ready, late]).finally(() => clearTimeout(timer));
  if (outcome === 'ready') return [];
  return projects.flatMap((p) => {
    const pr = indexer.progress(p.id);
    return pr?.state === 'indexing'
      ? [
          `The index of "${p.name}" is still being built (${pr.filesDone} of ${pr.filesTotal} files): results may be incomplete.`,
        ]
      : [];
  });
}
