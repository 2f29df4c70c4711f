import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBooterm, TermClient, type Booterm } from './helpers.ts';

// The traps of tmux behind xterm.js (notes/terminal.md), each pinned by a test.
let b: Booterm;
beforeAll(async () => {
  b = await startBooterm();
});
afterAll(async () => {
  await b.close();
});

function tmux(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tmux', ['-L', b.socket, ...args], (err, out, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(out),
    ),
  );
}

describe('tmux behind xterm.js', () => {
  it('never switches the browser to the alternate screen, so xterm.js keeps the scrollback', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await TermClient.open(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    c.type('echo attached-$((1+1))');
    await c.waitForText('attached-2');
    expect(c.text).not.toContain('\x1b[?1049h');
    expect(c.text).not.toContain('\x1b[?47h');
    await c.close();
  });

  it('passes Esc on at once (escape-time 0), so vim and Alt keys do not lag', async () => {
    const t = await b.create();
    const c = await TermClient.open(b, t.id);
    await c.waitForControl('terminal.replayed');
    expect((await tmux('show-options', '-s', 'escape-time')).trim()).toBe('escape-time 0');
    await c.close();
  });

  it('sends a copy made inside tmux on to the browser as OSC 52', async () => {
    const t = await b.create();
    const c = await TermClient.open(b, t.id);
    await c.waitForControl('terminal.replayed');
    // The payload is computed in the shell, so the typed command line does not contain it.
    c.type(`printf '\\033]52;c;%s\\a' "$(printf copied-text | base64)"`);
    const payload = Buffer.from('copied-text').toString('base64');
    await c.until(() => new RegExp(`\\x1b\\]52;[a-z]*;${payload}`).test(c.text), 'OSC 52');
    await c.close();
  });
});
