import type { Project } from '@boocode/protocol';

/**
 * The project a new chat starts with: the last picked (if still registered), else the only one
 * registered, else none. `lastUsed` is '' when "No project" was picked last, null when nothing
 * ever was; `listed` is undefined while the projects load.
 */
export function defaultProject(
  lastUsed: string | null,
  listed: Project[] | undefined,
): string | null {
  if (lastUsed === '') return null;
  if (!listed) return lastUsed;
  if (lastUsed && listed.some((p) => p.id === lastUsed)) return lastUsed;
  return listed.length === 1 ? (listed[0]?.id ?? null) : null;
}

/**
 * The project a "New ... on a project" form starts on: the default above, or when a project is
 * `required` and there is no default, the first registered.
 */
export function formProject(
  lastUsed: string | null,
  listed: Project[],
  required: boolean,
): string | null {
  return defaultProject(lastUsed, listed) ?? (required ? (listed[0]?.id ?? null) : null);
}
