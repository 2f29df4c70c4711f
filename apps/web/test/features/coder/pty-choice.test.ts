import { describe, expect, it } from 'vitest';
import type { AgentSession } from '@boocode/protocol';
import { ptyView } from '../../../src/features/coder/pty-choice.ts';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const session = (n: number, over: Partial<AgentSession> = {}): AgentSession => ({
  id: id(n),
  chatId: id(100),
  projectId: id(101),
  provider: 'shell',
  backend: 'pty',
  resumable: false,
  mode: null,
  model: null,
  thinking: null,
  status: 'running',
  error: null,
  worktreePath: `/w/${n}`,
  inputTokens: 0,
  outputTokens: 0,
  costMicros: 0,
  lastSeq: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe('ptyView', () => {
  it('shows the session the pane stored, with its terminal, while it is live', () => {
    const list = [session(2), session(1, { status: 'idle' })];
    const v = ptyView(list, 'shell', { sessionId: id(1), terminalId: id(50) });
    expect([v.session?.id, v.terminalId]).toEqual([id(1), id(50)]);
  });

  it('falls back to the newest live session of the provider, without a terminal', () => {
    const list = [session(3, { provider: 'other' }), session(2), session(1, { status: 'closed' })];
    const v = ptyView(list, 'shell', { sessionId: id(1), terminalId: id(50) });
    expect([v.session?.id, v.terminalId]).toEqual([id(2), null]);
  });

  it('shows nothing when no session of the provider is live (Start then)', () => {
    const list = [session(2, { status: 'failed' }), session(1, { provider: 'other' })];
    expect(ptyView(list, 'shell', undefined)).toEqual({ session: null, terminalId: null });
    expect(ptyView(undefined, 'shell', undefined)).toEqual({ session: null, terminalId: null });
  });
});
