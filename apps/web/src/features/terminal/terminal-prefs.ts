const SCREEN_READER_KEY = 'boocode:terminal-screen-reader';

/**
 * Screen reader mode: xterm.js keeps a DOM copy of the rows that assistive technology (and the
 * browser tests) can read. It costs some speed on heavy output, so it is a choice.
 */
export function getScreenReaderMode(): boolean {
  try {
    return localStorage.getItem(SCREEN_READER_KEY) === '1';
  } catch {
    return false;
  }
}

export function setScreenReaderMode(on: boolean): void {
  try {
    if (on) localStorage.setItem(SCREEN_READER_KEY, '1');
    else localStorage.removeItem(SCREEN_READER_KEY);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}
