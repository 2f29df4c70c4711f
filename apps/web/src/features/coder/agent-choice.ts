import type { AgentSession, Choice, ProviderInfo } from '@boocode/protocol';

/** Our own loop: the coder chat as it was before the agents. */
export const OWN_PROVIDER = 'boocode';

/** One entry of the Provider picker. */
export interface ProviderOption {
  id: string;
  label: string;
  /** Listed but not pickable: its binary is not on PATH. */
  disabled: boolean;
}

/**
 * The Provider picker's entries: the enabled providers, the ones not installed disabled and
 * marked so. Our own loop is always there (the list may not have loaded, or the backend may be
 * down), and so is the pane's current choice even if it is no longer listed.
 */
export function providerOptions(
  providers: ProviderInfo[] | undefined,
  current: string,
): ProviderOption[] {
  const options: ProviderOption[] = (providers ?? [])
    .filter((p) => p.enabled || p.id === current)
    .map((p) => ({
      id: p.id,
      label: p.installed ? p.label : `${p.label} (not installed)`,
      disabled: !p.installed && p.id !== current,
    }));
  if (!options.some((o) => o.id === OWN_PROVIDER)) {
    options.unshift({ id: OWN_PROVIDER, label: 'boocode', disabled: false });
  }
  if (!options.some((o) => o.id === current)) {
    options.push({ id: current, label: current, disabled: false });
  }
  return options;
}

/** A picker's value: a choice of the provider's, or undefined for the agent's own default. */
export function pickedChoice(choices: Choice[], value: string): string | undefined {
  return choices.some((c) => c.id === value) ? value : undefined;
}

/**
 * What Send does: a prompt to the pane's session when it is idle and of the chosen provider;
 * otherwise a new session (none yet, another provider, or one that failed or was closed);
 * nothing while a turn runs (the pane shows Stop then).
 */
export function sendAction(
  session: AgentSession | null,
  provider: string,
): 'start' | 'prompt' | 'busy' {
  if (!session || session.provider !== provider) return 'start';
  switch (session.status) {
    case 'idle':
      return 'prompt';
    case 'starting':
    case 'running':
      return 'busy';
    case 'failed':
    case 'closed':
      return 'start';
  }
}
