import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UNANSWERED_INPUT } from '../src/view-input.ts';
import { openTerminal, startBooterm, type Booterm } from './helpers.ts';

let b: Booterm;
beforeAll(async () => {
  b = await startBooterm();
});
afterAll(async () => {
  await b.close();
});

describe('input a terminal does not take', () => {
  it('is dropped past the bound with a notice, while Ctrl+C still goes and ends the program', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    c.type('echo ready-$((2+2)); sleep 600');
    await c.waitForText('ready-4');

    // `sleep` reads nothing: past the pty's small input queue nothing echoes, and without the
    // bound tmux would keep all of it in memory.
    const chunk = 'x'.repeat(64 * 1024);
    const frames = Math.ceil((2 * MAX_UNANSWERED_INPUT) / chunk.length);
    for (let i = 0; i < frames; i++) c.send({ type: 'terminal.input', data: chunk });
    await c.waitForControl('terminal.notice');
    const notices = c.controls.filter((f) => f.type === 'terminal.notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ message: expect.stringMatching(/^Input dropped/) });

    // The program ends (its ^C shows), and from that output on, keys go through again.
    const interrupted = c.waitForOutput('^C');
    c.sendBytes('\x03');
    await interrupted;
    c.type('echo back-$((3+3))');
    await c.waitForText('back-6');
    await c.close();
  });

  it('reaches the program in full when the view is made again while tmux still takes it', async () => {
    const t = await b.create({ cols: 80, rows: 24 });
    const c = await openTerminal(b, t.id, { cols: 80, rows: 24 });
    await c.waitForControl('terminal.replayed');
    const size = 900_000;
    c.type(
      `stty raw -echo; echo go-$((1+1)); sleep 0.3; seq 100001 100400; head -c $((900*1000)) | wc -c; stty sane`,
    );
    await c.waitForText('go-2');
    // tmux takes keys slower than they come: they wait in node-pty's queue and the kernel's
    // while the burst of `seq` ends and booterm makes the view again with a new tmux client.
    // Hung up before tmux had read them, the old client lost them, and wc waited for ever.
    const chunk = 'x'.repeat(50_000);
    for (let sent = 0; sent < size; sent += chunk.length)
      c.send({ type: 'terminal.input', data: chunk });
    await c.waitForText(String(size)); // the count wc prints, not the command line
    await expect.poll(() => b.terminals.stats(t.id)[0]!.resyncs).toBeGreaterThan(0);
    await c.close();
  });
});
