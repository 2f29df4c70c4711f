const KEY = 'boocode.lastProject';

/**
 * The project the user picked last for a chat: its id, '' for "No project", null when the user
 * never picked one.
 */
export function getLastProject(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setLastProject(projectId: string | null): void {
  try {
    localStorage.setItem(KEY, projectId ?? '');
  } catch {
    // Storage can be disabled (private mode); new chats then fall back to the default project.
  }
}
