import { describe, expect, it } from 'vitest';
import type { AgentSession, ProviderInfo } from '@boocode/protocol';
import {
  pickedChoice,
  providerOptions,
  sendAction,
} from '../../../src/features/coder/agent-choice.ts';

const provider = (id: string, over: Partial<ProviderInfo> = {}): ProviderInfo => ({
  id,
  label: id[0]!.toUpperCase() + id.slice(1),
  driver: id === 'boocode' ? 'builtin' : 'acp',
  enabled: true,
  ownConfig: false,
  installed: true,
  version: null,
  command: null,
  models: [],
  modes: [],
  thinkingLevels: [],
  probe: { state: 'unprobed', at: null, error: null },
  ...over,
});

const session = (over: Partial<AgentSession>): AgentSession => ({
  id: '00000000-0000-4000-8000-000000000001',
  chatId: '00000000-0000-4000-8000-000000000002',
  projectId: '00000000-0000-4000-8000-000000000003',
  provider: 'claude',
  backend: 'acp',
  resumable: false,
  mode: null,
  model: null,
  thinking: null,
  status: 'idle',
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

describe('providerOptions', () => {
  it('lists the enabled providers, the ones not installed disabled and marked', () => {
    const list = [
      provider('boocode'),
      provider('claude'),
      provider('goose', { installed: false }),
      provider('qwen', { enabled: false }),
    ];
    expect(providerOptions(list, 'boocode')).toEqual([
      { id: 'boocode', label: 'Boocode', disabled: false },
      { id: 'claude', label: 'Claude', disabled: false },
      { id: 'goose', label: 'Goose (not installed)', disabled: true },
    ]);
  });

  it('offers our own loop when the list is not there', () => {
    expect(providerOptions(undefined, 'boocode')).toEqual([
      { id: 'boocode', label: 'boocode', disabled: false },
    ]);
  });

  it('keeps the pane’s own provider pickable even when it is no longer listed or enabled', () => {
    const opts = providerOptions([provider('qwen', { enabled: false, installed: false })], 'qwen');
    expect(opts.find((o) => o.id === 'qwen')).toEqual({
      id: 'qwen',
      label: 'Qwen (not installed)',
      disabled: false,
    });
    expect(providerOptions([], 'cursor').map((o) => o.id)).toEqual(['boocode', 'cursor']);
  });
});

describe('pickedChoice', () => {
  it('sends a listed choice, and nothing for Default or a stale value', () => {
    const choices = [{ id: 'plan', name: 'Plan' }];
    expect(pickedChoice(choices, 'plan')).toBe('plan');
    expect(pickedChoice(choices, '')).toBeUndefined();
    expect(pickedChoice(choices, 'gone')).toBeUndefined();
  });
});

describe('sendAction', () => {
  it('starts a session when there is none', () => {
    expect(sendAction(null, 'claude')).toBe('start');
  });
  it('prompts an idle session of the same provider', () => {
    expect(sendAction(session({ status: 'idle' }), 'claude')).toBe('prompt');
  });
  it('starts a new session for another provider', () => {
    expect(sendAction(session({ status: 'idle' }), 'goose')).toBe('start');
  });
  it('starts a new session after a failed or closed one', () => {
    expect(sendAction(session({ status: 'failed' }), 'claude')).toBe('start');
    expect(sendAction(session({ status: 'closed' }), 'claude')).toBe('start');
  });
  it('does nothing while a turn runs', () => {
    expect(sendAction(session({ status: 'running' }), 'claude')).toBe('busy');
    expect(sendAction(session({ status: 'starting' }), 'claude')).toBe('busy');
  });
});
