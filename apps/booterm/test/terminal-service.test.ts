import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Terminal, TerminalList } from '@boocode/protocol';
import { FLOW_HIGH_WATERMARK } from '@boocode/protocol';
import { plain } from '@boocode/testkit';
import { openTerminal, startBooterm, type Booterm } from './helpers.ts';

let b: Booterm;
beforeAll(async () => {
  b = await startBooterm();
});
afterAll(async () => {
  await b.close();
});

/** Runs a tmux command on the test's socket. */
function tmux(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('tmux', ['-L', b.socket, ...args], (err, out, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(out),
    ),
  );
}

/**
 * Resolves once tmux has sized the pane (it follows the client's SIGWINCH on its own
 * time, and tmux offers no event to wait on, so this asks it again until it agrees).
 */
async function paneSize(id: string, want: string): Promise<void> {
  for (;;) {
    const got = (
      await tmux('display-message', '-p', '-t', `=${id}:`, '#{pane_width}x#{pane_height}')
    ).trim();
    if (got === want) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many times `word` appears as a whole token in `text`. */
const count = (text: string, word: string) =>
  text.split(/[^0-9A-Za-z-]+/).filter((w) => w === word).length;

describe('terminals', () => {
  it('creates a terminal, takes input and sends the output back', async () => {
    const t = await b.create({ cols: 100, rows: 30 });
    expect(t).toMatchObject({ title: 'Terminal', alive: true, cols: 100, rows: 30 });
    const c = await openTerminal(b, t.id, { cols: 100, rows: 30 });
    await c.waitForControl('terminal.replayed');
    c.type('echo out-$((40+2))');
    await c.waitForText('out-42');
    await c.close();
  });

  it('lists, renames and keeps the size a socket asks for', async () => {
    const t = await b.create();
    const renamed = await b.api<Terminal>('PATCH', `/api/term/terminals/${t.id}`, {
      title: 'build',
    });
    expect(renamed.body.title).toBe('build');
    const c = await openTerminal(b, t.id, { cols: 91, rows: 27 });
    await c.waitForControl('terminal.replayed');
    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.find((x) => x.id === t.id)).toMatchObject({
      title: 'build',
      cols: 91,
      rows: 27,
      alive: true,
    });
    await c.close();
  });

  it('numbers default names that are taken, and keeps a name given', async () => {
    const mark = `Named ${Math.random().toString(36).slice(2, 8)}`;
    const first = await b.create({ title: mark });
    const again = await b.create({ title: mark });
    expect(again.title).toBe(mark);
    // The default name of a local terminal when one is taken: the next number.
    await b.api('PATCH', `/api/term/terminals/${first.id}`, { title: 'Terminal' });
    const next = await b.create();
    expect(next.title).toMatch(/^Terminal \d+$/);
  });

  it('opens a terminal in a project directory', async () => {
    const [p] = await b.db.sql<{ id: string }[]>`
      insert into projects (name, path) values ('proj', ${b.home}) returning id`;
    const t = await b.create({ projectId: p!.id });
    expect(t).toMatchObject({ title: 'proj', projectId: p!.id });
    const c = await openTerminal(b, t.id);
    c.type('pwd');
    await c.waitForText(`\n${b.home}\n`);
    await c.close();
  });

  it('refuses a bad body with 400 and an unknown project with 404', async () => {
    const bad = await b.api('POST', '/api/term/terminals', { cols: 'wide' });
    expect(bad.status).toBe(400);
    const none = await b.api('POST', '/api/term/terminals', {
      projectId: '00000000-0000-4000-8000-000000000000',
    });
    expect(none.status).toBe(404);
  });

  it('reattaches after the socket closed: scrollback and screen back, no line twice', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const first = await openTerminal(b, t.id);
    first.type('seq 1001 1300; echo end-$((1+1))');
    await first.waitForText('end-2');
    await first.close();

    const again = await openTerminal(b, t.id);
    await again.waitForControl('terminal.replayed');
    // The screen comes back with tmux's repaint, after the scrollback.
    await again.waitForText('end-2');
    // Every line is either in the scrollback (once) or on the screen tmux repaints (which
    // it may paint more than once, over itself), never in both.
    const { replay, live } = again.parts();
    const [old, screen] = [plain(replay), plain(live)];
    for (let n = 1002; n <= 1299; n++) {
      const inReplay = count(old, String(n));
      const onScreen = count(screen, String(n)) > 0;
      expect(inReplay + (onScreen ? 1 : 0), String(n)).toBe(1);
      expect(inReplay, String(n)).toBeLessThanOrEqual(1);
    }
    expect(count(old, '1002')).toBe(1);
    expect(again.controls.find((c) => c.type === 'terminal.replayed')).toEqual({
      type: 'terminal.replayed',
      bytes: Buffer.byteLength(replay),
    });
    await again.close();
  });

  it('sends no scrollback for a fresh terminal', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    expect(c.controls[0]).toEqual({ type: 'terminal.replayed', bytes: 0 });
    await c.close();
  });

  it('follows a resize from the socket and from REST', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    // The shell's own idea of the size. Typed again if lost: readline may drop what is
    // typed while it handles the SIGWINCH of a resize.
    const shellSees = async (want: string) => {
      for (let attempt = 1; ; attempt++) {
        c.type("echo size-$(stty size | tr ' ' x)");
        try {
          return await c.waitForText(`size-${want}`, 3000);
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
    };
    await shellSees('24x80');
    c.send({ type: 'terminal.resize', cols: 120, rows: 40 });
    await paneSize(t.id, '120x40');
    await shellSees('40x120');
    const res = await b.api<Terminal>('POST', `/api/term/terminals/${t.id}/resize`, {
      cols: 101,
      rows: 33,
    });
    expect(res.body).toMatchObject({ cols: 101, rows: 33 });
    await paneSize(t.id, '101x33');
    await shellSees('33x101');
    await c.close();
  });

  it('gives the terminal the size of the view that asks again for its own size', async () => {
    const t = await b.create({ cols: 100, rows: 30 });
    const wide = await openTerminal(b, t.id, { cols: 100, rows: 30 });
    await wide.waitForControl('terminal.replayed');
    await paneSize(t.id, '100x30');
    // A second view, smaller (another tab): the newest view's size wins.
    const small = await openTerminal(b, t.id, { cols: 60, rows: 20 });
    await small.waitForControl('terminal.replayed');
    await paneSize(t.id, '60x20');
    // The first view is looked at again and says its size, unchanged.
    wide.send({ type: 'terminal.resize', cols: 100, rows: 30 });
    await paneSize(t.id, '100x30');
    await small.close();
    await wide.close();
  });

  it('kills the session on DELETE: the socket hears exit, tmux has it no more', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    await c.waitForControl('terminal.replayed');
    const res = await b.api('DELETE', `/api/term/terminals/${t.id}`);
    expect(res.status).toBe(204);
    expect(await c.closed).toEqual({ code: 1000 });
    expect(c.controls.at(-1)).toEqual({ type: 'terminal.exit' });
    await expect(tmux('has-session', '-t', `=${t.id}`)).rejects.toThrow();
    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.some((x) => x.id === t.id)).toBe(false);
  });

  it('does not make a terminal killed while a socket attaches again', async () => {
    const t = await b.create();
    // The DELETE lands between the attach's scrollback read and its tmux client's start.
    const history = b.tmux.history.bind(b.tmux);
    b.tmux.history = async (...args) => {
      b.tmux.history = history;
      const h = await history(...args);
      expect((await b.api('DELETE', `/api/term/terminals/${t.id}`)).status).toBe(204);
      return h;
    };
    const c = await openTerminal(b, t.id);
    expect(await c.closed).toEqual({ code: 1000 });
    expect(c.controls.at(-1)).toEqual({ type: 'terminal.exit' });
    await expect(tmux('has-session', '-t', `=${t.id}`)).rejects.toThrow();
  }, 10_000);

  it('keeps the last screen of a shell that exits until the terminal is removed', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    c.type('echo last-$((6*7)); exit');
    expect(await c.closed).toEqual({ code: 1000 });
    expect(c.controls.at(-1)).toEqual({ type: 'terminal.exit' });
    // tmux wipes the screen as its client goes: the last screen is drawn again after that.
    const lastScreen = plain(c.text.slice(c.text.lastIndexOf('\x1b[2J')));
    expect(lastScreen).toContain('last-42');
    expect(lastScreen).not.toMatch(/Pane is dead|\[(exited|detached)/);
    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.find((x) => x.id === t.id)?.alive).toBe(false);
    // A socket to it later gets the same.
    const late = await openTerminal(b, t.id);
    expect(await late.closed).toEqual({ code: 1000 });
    expect(late.controls.at(-1)).toEqual({ type: 'terminal.exit' });
    expect(plain(late.text)).toContain('last-42');
    // Removing the terminal ends what tmux kept of it.
    expect((await b.api('DELETE', `/api/term/terminals/${t.id}`)).status).toBe(204);
    await expect(tmux('has-session', '-t', `=${t.id}`)).rejects.toThrow();
  });

  it('closes a socket to an unknown terminal with 4404', async () => {
    const c = await openTerminal(b, '00000000-0000-4000-8000-000000000000');
    expect(await c.closed).toEqual({ code: 4404 });
  });

  it('keeps sessions across a booterm restart, program state included, and applies its settings', async () => {
    const t = await b.create();
    const c = await openTerminal(b, t.id);
    c.type('KEPT=kept-$((3+4)); echo set-$((1+1))');
    await c.waitForText('set-2');
    // Settings changed since (by hand, or by an older booterm) are put back by the restart.
    await tmux('set', '-g', 'remain-on-exit', 'off');
    await b.restart();
    expect(await c.closed).toEqual({ code: 1001 });
    expect((await tmux('show', '-gv', 'remain-on-exit')).trim()).toBe('on');

    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.find((x) => x.id === t.id)?.alive).toBe(true);
    const again = await openTerminal(b, t.id);
    again.type('echo "$KEPT"');
    await again.waitForText('\nkept-7\n');
    await again.close();
  });

  it('marks the terminals whose session went while booterm was down', async () => {
    const t = await b.create();
    await b.app.close();
    await tmux('kill-session', '-t', `=${t.id}`);
    await b.restart();
    const list = await b.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.body.terminals.find((x) => x.id === t.id)?.alive).toBe(false);
  });
});

describe('output', () => {
  it(
    'keeps what it holds bounded under a 50 MB burst to a client that does not ack',
    { timeout: 120_000 },
    async () => {
      const t = await b.create();
      const c = await openTerminal(b, t.id, { ack: false });
      await c.waitForControl('terminal.replayed');
      const signal = `burst-${t.id.slice(0, 8)}`;
      // The shell signals tmux when the whole burst has been written.
      const done = tmux('wait-for', signal);
      c.type(`head -c 50000000 /dev/zero | base64; tmux wait-for -S ${signal}`);
      await done;

      const [s] = b.terminals.stats(t.id);
      expect(s!.pauses).toBeGreaterThan(0);
      expect(s!.paused).toBe(true);
      // At most one frame (one read, 64 KB) past the high watermark was ever in flight.
      expect(s!.peakUnacked).toBeLessThanOrEqual(FLOW_HIGH_WATERMARK + 64 * 1024);
      expect(s!.peakBuffered).toBeLessThanOrEqual(FLOW_HIGH_WATERMARK + 64 * 1024);
      expect(c.bytes).toBeLessThanOrEqual(FLOW_HIGH_WATERMARK + 64 * 1024);

      // Acking resumes the output; the terminal answers again.
      c.ackAll();
      c.type('echo after-$((2+3))');
      await c.waitForText('after-5');
      expect(b.terminals.stats(t.id)[0]!.paused).toBe(false);
      await c.close();
    },
  );

  it('delivers a 4-byte emoji cut between two frames intact', async () => {
    const t = await b.create({ cols: 200, rows: 50 });
    const c = await openTerminal(b, t.id, { cols: 200, rows: 50 });
    await c.waitForControl('terminal.replayed');
    // 3,000 lines of 50 emoji: frame boundaries fall inside characters.
    c.type(
      `e=$(printf '\\xf0\\x9f\\x98\\x80%.0s' $(seq 50)); yes "$e" | head -n 3000; echo fin-$((3*3))`,
    );
    await c.waitForText('fin-9');
    expect(c.text).toContain('😀'.repeat(50));
    // The frames carry bytes: decoded as one stream, as xterm.js does, they read exactly as
    // what tmux wrote. (tmux itself may cut a character when it drops output for a client
    // that fell behind, then it repaints; that is not ours to fix and shows in both.)
    expect(c.text).toBe(Buffer.concat(c.frames).toString('utf8'));
    let cuts = 0;
    for (let k = 0; k + 1 < c.frames.length; k++) {
      const f = c.frames[k]!;
      const tail = incompleteTail(f);
      if (tail === 0) continue;
      const joined = Buffer.concat([f.subarray(f.length - tail), c.frames[k + 1]!.subarray(0, 3)]);
      if (joined.toString('utf8').startsWith('😀')) cuts++;
    }
    expect(cuts).toBeGreaterThan(0);
    await c.close();
  });
});

/** How many bytes at the end of `f` start a UTF-8 character that the frame does not finish. */
function incompleteTail(f: Buffer): number {
  for (let back = 1; back <= Math.min(3, f.length); back++) {
    const byte = f[f.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

describe('bounds', () => {
  it('refuses a terminal past BOOTERM_MAX_TERMINALS with 429, and takes one again once removed', async () => {
    const small = await startBooterm({ BOOTERM_MAX_TERMINALS: '2' });
    try {
      const first = await small.create();
      await small.create();
      const third = await small.api<{ code: string; message: string }>(
        'POST',
        '/api/term/terminals',
        {},
      );
      expect(third.status).toBe(429);
      expect(third.body).toMatchObject({ code: 'limit_reached' });
      expect(third.body.message).toMatch(/BOOTERM_MAX_TERMINALS/);
      const list = await small.api<TerminalList>('GET', '/api/term/terminals');
      expect(list.body.terminals).toHaveLength(2);
      expect((await small.api('DELETE', `/api/term/terminals/${first.id}`)).status).toBe(204);
      await small.create();
    } finally {
      await small.close();
    }
  });
});
