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

const OSC52_KEY = 'boocode:terminal-osc52';

/**
 * Whether programs in a terminal may set the browser's clipboard (OSC 52): off by default, as
 * output from an SSH host or a `cat` of a file could replace what the user copied, unseen.
 * Programs never read the clipboard.
 */
export function getClipboardWrites(): boolean {
  try {
    return localStorage.getItem(OSC52_KEY) === '1';
  } catch {
    return false;
  }
}

export function setClipboardWrites(on: boolean): void {
  try {
    if (on) localStorage.setItem(OSC52_KEY, '1');
    else localStorage.removeItem(OSC52_KEY);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}
