import { createPathGuard, type PathGuard } from '@boocode/files';
import type { Project } from '@boocode/protocol';

/** A root as the tools name it: its project, by a name unique among the chat's roots. */
export interface NamedRoot {
  id: string;
  project: Project;
}

/**
 * A chat's roots (its own project first, then its grants), each named by its project's name
 * made unique (`name-2`...), with one path guard over exactly those; null when there are none,
 * or a project's folder is gone (no tools rather than a failed reply).
 */
export function guardRoots(roots: Project[]): { named: NamedRoot[]; guard: PathGuard } | null {
  if (roots.length === 0) return null;
  const ids = new Set<string>();
  const named = roots.map((project) => {
    let id = project.name;
    for (let i = 2; ids.has(id); i++) id = `${project.name}-${i}`;
    ids.add(id);
    return { id, project };
  });
  try {
    return {
      named,
      guard: createPathGuard(named.map((r) => ({ id: r.id, path: r.project.path }))),
    };
  } catch {
    return null;
  }
}
