import { describe, expect, it } from 'vitest';
import { FLOW_HIGH_WATERMARK, FLOW_LOW_WATERMARK } from '@boocode/protocol';
import { FlowControl, type Pausable } from '../src/flow-control.ts';

/** A source that records what it was told, as a tmux client's pty would be. */
function source(): Pausable & { calls: string[] } {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('flow control', () => {
  it('pauses the source above the high watermark, once', () => {
    const s = source();
    const flow = new FlowControl();
    flow.setSource(s);
    flow.sent(FLOW_HIGH_WATERMARK);
    expect(s.calls).toEqual([]);
    flow.sent(1);
    flow.sent(10_000);
    expect(s.calls).toEqual(['pause']);
    expect(flow.stats).toEqual({
      unacked: FLOW_HIGH_WATERMARK + 10_001,
      peakUnacked: FLOW_HIGH_WATERMARK + 10_001,
      paused: true,
      pauses: 1,
    });
  });

  it('resumes only once the unacknowledged bytes fall below the low watermark', () => {
    const s = source();
    const flow = new FlowControl();
    flow.setSource(s);
    flow.sent(FLOW_HIGH_WATERMARK + 1);
    flow.acked(FLOW_HIGH_WATERMARK + 1 - FLOW_LOW_WATERMARK);
    expect(flow.stats.unacked).toBe(FLOW_LOW_WATERMARK);
    expect(s.calls).toEqual(['pause']);
    flow.acked(1);
    expect(s.calls).toEqual(['pause', 'resume']);
    expect(flow.stats.paused).toBe(false);
    // More acks than sent (a client that counts generously) do not go below zero.
    flow.acked(FLOW_HIGH_WATERMARK);
    expect(flow.stats.unacked).toBe(0);
    expect(s.calls).toEqual(['pause', 'resume']);
  });

  it('starts a new source paused when what was sent before it is over the high watermark', () => {
    let heard = 0;
    const flow = new FlowControl(() => heard++);
    // A replay with no source yet: counted, nothing to pause.
    flow.sent(FLOW_HIGH_WATERMARK + 1);
    expect(flow.stats.paused).toBe(false);
    const s = source();
    flow.setSource(s);
    expect(s.calls).toEqual(['pause']);
    expect(heard).toBe(1);
    // Without a source (the client went), an ack only counts; the next source starts running.
    flow.setSource(null);
    flow.acked(FLOW_HIGH_WATERMARK);
    const next = source();
    flow.setSource(next);
    expect(next.calls).toEqual([]);
    expect(flow.stats).toMatchObject({ unacked: 1, paused: false, pauses: 1 });
  });
});
