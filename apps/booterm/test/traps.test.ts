import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTerminal, startBooterm, type Booterm } from './helpers.ts';

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
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    c.type('echo attached-$((1+1))');
    await c.waitForText('attached-2');
    expect(c.text).not.toContain('\x1b[?1049h');
    expect(c.text).not.toContain('\x1b[?47h');
    await c.close();
  });

  it('sends every line of a fast burst, so xterm.js has it in its scrollback', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    // tmux gathers the lines a burst scrolls by; sent as one "scroll up N" (CSI N S), xterm.js
    // would drop them instead of keeping them as scrollback.
    c.type('seq 100001 100400; echo burst-$((1+1))');
    await c.waitForText('burst-2');
    // eslint-disable-next-line no-control-regex -- the sequence is made of control characters
    expect(c.text).not.toMatch(/\x1b\[\d*S/);
    // tmux draws its screen, not the stream: lines beyond a screenful in one read are not
    // drawn at all. booterm sends tmux's scrollback again once the burst is over.
    const lines = Array.from({ length: 400 }, (_, i) => String(100001 + i));
    await c.until(() => lines.every((n) => c.text.includes(n)), 'every line of the burst');
    // ... and the view is live again, on a blank screen tmux repaints.
    c.type('echo after-$((40+2))');
    await c.waitForText('after-42');
    expect(b.terminals.stats(t.id)[0]!.resyncs).toBeGreaterThan(0);
    await c.close();
  });

  it('does not send the scrollback again after output that tmux sent line by line', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    // Two screenfuls, a line per read; then long lines (ten rows each), one per read.
    c.type('for i in $(seq 1 48); do echo line-$i; sleep 0.01; done');
    await c.waitForText('line-48');
    c.type('for i in 1 2 3 4 5 6; do printf "%0799d\\n" $i; sleep 0.01; done');
    await c.waitForText('0006');
    c.type('echo done-$((1+1))');
    await c.waitForText('done-2');
    await expect.poll(() => b.terminals.stats(t.id)[0]!.settling).toBe(false);
    expect(b.terminals.stats(t.id)[0]!.resyncs).toBe(0);
    await c.close();
  });

  it('passes Esc on at once (escape-time 0), so vim and Alt keys do not lag', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    expect((await tmux('show-options', '-s', 'escape-time')).trim()).toBe('escape-time 0');
    await c.close();
  });

  it('sends a copy made inside tmux on to the browser as OSC 52', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    // The payload is computed in the shell, so the typed command line does not contain it.
    c.type(`printf '\\033]52;c;%s\\a' "$(printf copied-text | base64)"`);
    const payload = Buffer.from('copied-text').toString('base64');
    await c.until(() => new RegExp(`\\x1b\\]52;[a-z]*;${payload}`).test(c.text), 'OSC 52');
    await c.close();
  });
});
