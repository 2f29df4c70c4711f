import { describe, expect, it } from 'vitest';
import { BurstWatch } from '../src/burst-watch.ts';

const lines = (n: number) => Buffer.from('x\r\n'.repeat(n));

describe('burst watch', () => {
  it('finds no lines missing when the scrollback grew by at most the line feeds sent', () => {
    const w = new BurstWatch(async () => {});
    w.restart(100);
    w.output(lines(30));
    expect(w.due(24)).toBe(true);
    expect(w.missed(130)).toBe(false);
    // Counting started over at 130.
    expect(w.due(24)).toBe(false);
    w.dispose();
  });

  it('finds lines missing when tmux scrolled more than it sent, or paused, or trimmed', () => {
    const w = new BurstWatch(async () => {});
    w.restart(0);
    w.output(lines(30));
    expect(w.missed(400)).toBe(true);
    // Under a screenful of output: not worth a look.
    w.output(lines(3));
    expect(w.due(24)).toBe(false);
    w.outputPaused();
    expect(w.due(24)).toBe(true);
    expect(w.missed(403)).toBe(true);
    // A full scrollback that tmux trimmed shrinks: nothing can be told.
    w.output(lines(30));
    expect(w.missed(10)).toBe(true);
    w.dispose();
  });

  it('does not count what comes while paused, nor a pause the replay caused', () => {
    const w = new BurstWatch(async () => {});
    w.restart(0);
    w.outputPaused();
    w.ignorePause();
    w.output(lines(30));
    expect(w.missed(30)).toBe(false);
    w.outputPaused();
    w.output(lines(30));
    expect(w.missed(30)).toBe(true);
    w.dispose();
  });

  it('runs its check once output has been quiet, and is settling until it is done', async () => {
    let release!: () => void;
    const checked = new Promise<void>((r) => (release = r));
    const w = new BurstWatch(async () => release());
    w.output(lines(1));
    expect(w.settling).toBe(true);
    await checked;
    await expect.poll(() => w.settling).toBe(false);
  });
});
