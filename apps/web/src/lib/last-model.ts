const KEY = 'boocode.lastModel';

/** The model the user picked last, across chats and reloads. */
export function getLastModel(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setLastModel(model: string): void {
  try {
    localStorage.setItem(KEY, model);
  } catch {
    // Storage can be disabled (private mode); the picker then falls back to the first model.
  }
}
