import { describe, expect, it } from 'vitest';
import type { ProviderInfo } from '@boocode/protocol';
import {
  arenaBody,
  arenaProviders,
  formatDuration,
  initialRows,
} from '../../../src/features/coder/arena-setup.ts';

const provider = (id: string, over: Partial<ProviderInfo> = {}): ProviderInfo => ({
  id,
  label: id,
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
const CHAT = '00000000-0000-4000-8000-000000000002';
const row = (p: string, over = {}) => ({ provider: p, mode: '', model: '', thinking: '', ...over });

describe('the arena form', () => {
  it('offers only the agents that can answer a prompt: enabled, installed, not a terminal, not our own loop', () => {
    const list = [
      provider('boocode'),
      provider('qwen'),
      provider('goose', { installed: false }),
      provider('copilot', { enabled: false }),
      provider('cursor', { driver: 'pty' }),
      provider('opencode', { driver: 'http' }),
    ];
    expect(arenaProviders(list).map((p) => p.id)).toEqual(['qwen', 'opencode']);
  });

  it('starts with two rows, the same agent twice when it is the only one', () => {
    expect(initialRows([provider('qwen')]).map((r) => r.provider)).toEqual(['qwen', 'qwen']);
    expect(
      initialRows([provider('a'), provider('b'), provider('c')]).map((r) => r.provider),
    ).toEqual(['a', 'b']);
  });

  it("sends each entrant's settings only when its provider offers them", () => {
    const qwen = provider('qwen', { models: [{ id: 'm1', name: 'M1' }] });
    const body = arenaBody(
      CHAT,
      '  go  ',
      [row('qwen', { model: 'm1', mode: 'gone' }), row('qwen')],
      [qwen],
    );
    expect(body).toEqual({
      chatId: CHAT,
      prompt: 'go',
      entrants: [
        { provider: 'qwen', model: 'm1', mode: undefined, thinking: undefined },
        { provider: 'qwen', model: undefined, mode: undefined, thinking: undefined },
      ],
    });
  });

  it('cannot start without a prompt, with one entrant, or with an agent that cannot enter', () => {
    const list = [provider('qwen')];
    expect(arenaBody(CHAT, ' ', [row('qwen'), row('qwen')], list)).toBeNull();
    expect(arenaBody(CHAT, 'go', [row('qwen')], list)).toBeNull();
    expect(arenaBody(CHAT, 'go', [row('qwen'), row('cursor')], list)).toBeNull();
  });

  it('shows an entrant’s time in seconds, then minutes', () => {
    expect([formatDuration(null), formatDuration(3400), formatDuration(125_000)]).toEqual([
      '…',
      '3.4 s',
      '2 min 05 s',
    ]);
  });
});
