import type { AgentSession, ProviderInfo, StartArenaBody } from '@boocode/protocol';
import { OWN_PROVIDER, pickedChoice } from './agent-choice.ts';
import { DEFAULT_SETTINGS, type AgentSettings } from './agent-pickers.tsx';

export const MIN_ENTRANTS = 2;
export const MAX_ENTRANTS = 4;

/** One entrant row of the arena form: a provider and its settings ('' is its default). */
export interface EntrantRow extends AgentSettings {
  provider: string;
}

/** The providers that can enter: enabled, installed, answering a prompt (not a terminal's CLI). */
export function arenaProviders(providers: ProviderInfo[] | undefined): ProviderInfo[] {
  return (providers ?? []).filter(
    (p) => p.enabled && p.installed && p.driver !== 'pty' && p.id !== OWN_PROVIDER,
  );
}

/** The form's first rows: the first two providers that can enter (the same one twice if alone). */
export function initialRows(providers: ProviderInfo[]): EntrantRow[] {
  const ids = providers.map((p) => p.id);
  const first = ids[0] ?? '';
  return [first, ids[1] ?? first].map((provider) => ({ provider, ...DEFAULT_SETTINGS }));
}

/** The body of POST /api/coder/arenas; null while the form cannot start one. */
export function arenaBody(
  chatId: string,
  prompt: string,
  rows: EntrantRow[],
  providers: ProviderInfo[],
): StartArenaBody | null {
  const text = prompt.trim();
  if (!text || rows.length < MIN_ENTRANTS || rows.length > MAX_ENTRANTS) return null;
  const entrants = [];
  for (const row of rows) {
    const info = providers.find((p) => p.id === row.provider);
    if (!info) return null;
    entrants.push({
      provider: row.provider,
      mode: pickedChoice(info.modes, row.mode),
      model: pickedChoice(info.models, row.model),
      thinking: pickedChoice(info.thinkingLevels, row.thinking),
    });
  }
  return { chatId, prompt: text, entrants };
}

/** "3.4 s", "2 min 05 s": an entrant's time to the end of its turn; "…" while it runs. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '…';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** How an entrant is named: its provider's label, with the model and mode it runs. */
export function entrantName(s: AgentSession, providers: ProviderInfo[] | undefined): string {
  const label = providers?.find((p) => p.id === s.provider)?.label ?? s.provider;
  const extra = [s.model, s.mode].filter(Boolean).join(', ');
  return extra ? `${label} (${extra})` : label;
}
