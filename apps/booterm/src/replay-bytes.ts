/** Colours, scroll region, screen and scrollback reset: what follows is the whole terminal. */
const CLEAR_ALL = '\x1b[0m\x1b[r\x1b[H\x1b[2J\x1b[3J';

/**
 * tmux's scrollback as the browser is sent it, ending just above a blank screen that the tmux
 * client started next repaints: `\n` -> `\r\n`, colours reset, then enough new lines to push
 * all of it into xterm.js's scrollback. `clear`: the screen and scrollback are wiped first.
 * Empty when there is nothing to send.
 */
export function replayBytes(history: Buffer, rows: number, clear: boolean): Buffer {
  if (history.length === 0 && !clear) return Buffer.alloc(0);
  return Buffer.concat([
    Buffer.from(clear ? CLEAR_ALL : ''),
    crlf(history),
    Buffer.from(`\x1b[0m${'\r\n'.repeat(Math.max(0, rows - 1))}`),
  ]);
}

/** The whole of an ended session's pane, on a wiped terminal, its last line at the bottom. */
export function lastScreenBytes(pane: Buffer): Buffer {
  return Buffer.concat([Buffer.from(CLEAR_ALL), crlf(pane)]);
}

function crlf(buf: Buffer): Buffer {
  let n = 0;
  for (const b of buf) if (b === 0x0a) n++;
  const out = Buffer.allocUnsafe(buf.length + n);
  let j = 0;
  for (const b of buf) {
    if (b === 0x0a) out[j++] = 0x0d;
    out[j++] = b;
  }
  return out;
}
