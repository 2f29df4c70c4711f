import { describe, expect, it } from 'vitest';
import { AgentFrame, type AgentEvent, type AgentSession } from '@boocode/protocol';
import {
  emptyRun,
  foldAgentFrames,
  foldAll,
  isBusy,
  waitingPermissions,
  withSession,
} from '../../../src/features/coder/agent-run-state.ts';

const sessionId = '00000000-0000-4000-8000-000000000001';
const otherId = '00000000-0000-4000-8000-000000000002';
const permissionId = '00000000-0000-4000-8000-000000000003';

/** Frames numbered 1, 2, ... and parsed by the protocol's schema, as the socket would. */
function frames(...events: AgentEvent[]): AgentFrame[] {
  return events.map((event, i) =>
    AgentFrame.parse({ sessionId, seq: i + 1, at: '2026-01-01T00:00:00.000Z', event }),
  );
}

const run = (...events: AgentEvent[]) => foldAll(emptyRun(sessionId), frames(...events));

const session = (over: Partial<AgentSession> = {}): AgentSession => ({
  id: sessionId,
  chatId: otherId,
  projectId: otherId,
  provider: 'claude',
  backend: 'acp',
  resumable: false,
  mode: null,
  model: null,
  thinking: null,
  status: 'running',
  error: null,
  worktreePath: '/tmp/wt',
  inputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  lastSeq: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('foldAgentFrames', () => {
  it('joins message deltas into one block until something else happens', () => {
    const s = run(
      { type: 'prompt', text: 'fix it' },
      { type: 'message.delta', text: 'Look' },
      { type: 'message.delta', text: 'ing.' },
      { type: 'reasoning.delta', text: 'hmm' },
      { type: 'message.delta', text: 'Done.' },
    );
    expect(s.items.map((it) => [it.kind, 'text' in it ? it.text : ''])).toEqual([
      ['prompt', 'fix it'],
      ['message', 'Looking.'],
      ['reasoning', 'hmm'],
      ['message', 'Done.'],
    ]);
  });

  it('applies each seq once: a replayed frame changes nothing', () => {
    const [a, b] = frames(
      { type: 'message.delta', text: 'one ' },
      { type: 'message.delta', text: 'two' },
    );
    const once = foldAll(emptyRun(sessionId), [a!, b!]);
    const again = foldAll(once, [a!, b!]);
    expect(again).toBe(once);
    expect(again.items).toEqual([{ kind: 'message', seq: 1, text: 'one two' }]);
    expect(again.lastSeq).toBe(2);
  });

  it('ignores the frames of another session', () => {
    const [f] = frames({ type: 'message.delta', text: 'x' });
    const state = emptyRun(sessionId);
    expect(foldAgentFrames(state, { ...f!, sessionId: otherId })).toBe(state);
  });

  it('updates a tool call in place: state, title and output', () => {
    const s = run(
      { type: 'tool.call', toolCallId: 't1', title: 'Read a.ts', kind: 'read', status: 'pending' },
      { type: 'tool.update', toolCallId: 't1', status: 'in_progress' },
      { type: 'tool.update', toolCallId: 't1', title: 'Read src/a.ts', output: 'line 1' },
      { type: 'tool.update', toolCallId: 't1', status: 'failed' },
    );
    expect(s.items).toEqual([
      {
        kind: 'tool',
        seq: 1,
        toolCallId: 't1',
        title: 'Read src/a.ts',
        toolKind: 'read',
        state: 'failed',
        output: 'line 1',
      },
    ]);
  });

  it('shows a tool call known only by its update (a call the agent refused before announcing)', () => {
    const s = run({ type: 'tool.update', toolCallId: 'ghost', status: 'failed', output: 'No.' });
    expect(s.items).toEqual([
      {
        kind: 'tool',
        seq: 1,
        toolCallId: 'ghost',
        title: 'Tool call',
        toolKind: 'other',
        state: 'failed',
        output: 'No.',
      },
    ]);
  });

  it('marks a permission request answered, or cancelled, when it is resolved', () => {
    const options = [
      { id: 'allow', name: 'Allow once', kind: 'allow_once' },
      { id: 'deny', name: 'Reject', kind: 'reject_once' },
    ];
    const asked = run({
      type: 'permission.request',
      permissionId,
      toolCallId: null,
      title: 'Run npm test',
      options,
    });
    expect(waitingPermissions(asked)).toBe(1);
    const [, resolved] = frames(
      { type: 'prompt', text: 'unused' },
      { type: 'permission.resolved', permissionId, optionId: 'allow' },
    );
    const answered = foldAgentFrames(asked, resolved!);
    expect(answered.items[0]).toMatchObject({ kind: 'permission', answer: 'allow' });
    expect(waitingPermissions(answered)).toBe(0);
    const cancelled = foldAgentFrames(asked, {
      ...resolved!,
      event: { type: 'permission.resolved', permissionId, optionId: null },
    });
    expect(cancelled.items[0]).toMatchObject({ kind: 'permission', answer: null });
  });

  it('keeps the latest plan, apart from the blocks', () => {
    const s = run(
      { type: 'plan', entries: [{ content: 'read', status: 'in_progress' }] },
      {
        type: 'plan',
        entries: [
          { content: 'read', status: 'completed', priority: 'high' },
          { content: 'write', status: 'pending' },
        ],
      },
    );
    expect(s.items).toEqual([]);
    expect(s.plan).toEqual([
      { content: 'read', status: 'completed' },
      { content: 'write', status: 'pending' },
    ]);
  });

  it('adds up usage, and the cost stays unknown once a turn had none', () => {
    const known = run(
      { type: 'usage', inputTokens: 10, outputTokens: 2, costMicros: 100 },
      { type: 'usage', inputTokens: 5, outputTokens: 1, costMicros: 50 },
    );
    expect(known.usage).toEqual({ inputTokens: 15, outputTokens: 3, costMicros: 150 });
    const unknown = run(
      { type: 'usage', inputTokens: 10, outputTokens: 2, costMicros: null },
      { type: 'usage', inputTokens: 5, outputTokens: 1, costMicros: 50 },
    );
    expect(unknown.usage?.costMicros).toBeNull();
  });

  it('records changes (with what was left out), the end of a turn and errors as blocks', () => {
    const s = run(
      { type: 'changes', paths: ['a.ts', 'b.ts'], skipped: [{ path: 'c.png', reason: 'binary' }] },
      { type: 'error', message: 'agent exited with code 1' },
      { type: 'done', stopReason: 'cancelled' },
    );
    expect(s.items).toEqual([
      {
        kind: 'changes',
        seq: 1,
        paths: ['a.ts', 'b.ts'],
        skipped: [{ path: 'c.png', reason: 'binary' }],
      },
      { kind: 'error', seq: 2, message: 'agent exited with code 1' },
      { kind: 'done', seq: 3, stopReason: 'cancelled' },
    ]);
  });
});

describe('withSession', () => {
  it('takes the newer status of its own session only', () => {
    const state = emptyRun(sessionId);
    expect(withSession(state, session({ status: 'idle' })).session?.status).toBe('idle');
    expect(withSession(state, session({ id: otherId }))).toBe(state);
  });
});

describe('isBusy', () => {
  it('is true while the session starts or runs a turn, false otherwise', () => {
    expect(isBusy(session({ status: 'starting' }))).toBe(true);
    expect(isBusy(session({ status: 'running' }))).toBe(true);
    expect(isBusy(session({ status: 'idle' }))).toBe(false);
    expect(isBusy(session({ status: 'failed' }))).toBe(false);
    expect(isBusy(null)).toBe(false);
  });
});
