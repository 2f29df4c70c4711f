import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pausable } from '../src/flow-control.ts';
import { OutputPacer, sharedPause } from '../src/output-pacer.ts';

/** A pty that records what it was told. */
function source(): Pausable & { calls: string[] } {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

const chunk = (s: string) => Buffer.from(s);

describe('output pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends each read at once, and rests the pty for 10 ms when reads come close together', () => {
    const sent: string[] = [];
    const pty = source();
    const pacer = new OutputPacer((out) => sent.push(out.toString()));
    pacer.setSource(pty);
    pacer.push(chunk('a'));
    expect(sent).toEqual(['a']);
    expect(pty.calls).toEqual([]);
    vi.advanceTimersByTime(1);
    pacer.push(chunk('b'));
    expect(sent).toEqual(['a', 'b']);
    expect(pty.calls).toEqual(['pause']);
    vi.advanceTimersByTime(9);
    expect(pty.calls).toEqual(['pause']);
    vi.advanceTimersByTime(1);
    expect(pty.calls).toEqual(['pause', 'resume']);
  });

  it('does not rest after a read that follows a quiet spell', () => {
    const pty = source();
    const pacer = new OutputPacer(() => {});
    pacer.setSource(pty);
    pacer.push(chunk('a'));
    vi.advanceTimersByTime(50);
    pacer.push(chunk('b'));
    expect(pty.calls).toEqual([]);
  });

  it('ends a rest on input, so that its echo is read at once, and does not rest for the echo', () => {
    const pty = source();
    const pacer = new OutputPacer(() => {});
    pacer.setSource(pty);
    pacer.push(chunk('a'));
    pacer.push(chunk('b'));
    expect(pty.calls).toEqual(['pause']);
    pacer.inputSent();
    expect(pty.calls).toEqual(['pause', 'resume']);
    pacer.push(chunk('echo'));
    expect(pty.calls).toEqual(['pause', 'resume']);
    // The rest that was cut short does not resume the pty a second time.
    vi.advanceTimersByTime(20);
    expect(pty.calls).toEqual(['pause', 'resume']);
  });

  it('lets go of a replaced pty: its rest ends, and the new one starts unpaused', () => {
    const old = source();
    const next = source();
    const pacer = new OutputPacer(() => {});
    pacer.setSource(old);
    pacer.push(chunk('a'));
    pacer.push(chunk('b'));
    pacer.setSource(next);
    expect(old.calls).toEqual(['pause', 'resume']);
    pacer.push(chunk('c'));
    expect(next.calls).toEqual([]);
  });
});

describe('shared pause', () => {
  it('keeps the source paused until every holder has resumed it', () => {
    const pty = source();
    const gate = sharedPause(pty);
    const flow = gate();
    const pace = gate();
    flow.pause();
    pace.pause();
    pace.resume();
    expect(pty.calls).toEqual(['pause']);
    flow.resume();
    expect(pty.calls).toEqual(['pause', 'resume']);
  });

  it('counts a holder once, however often it pauses or resumes', () => {
    const pty = source();
    const gate = sharedPause(pty);
    const flow = gate();
    const pace = gate();
    flow.pause();
    flow.pause();
    pace.resume();
    flow.resume();
    flow.resume();
    expect(pty.calls).toEqual(['pause', 'resume']);
  });
});
