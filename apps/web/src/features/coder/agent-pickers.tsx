import type { Choice, ProviderInfo } from '@boocode/protocol';
import { NativeSelect } from '@boocode/ui';
import { providerOptions } from './agent-choice.ts';

/** The agent a coder pane drives; the ones not installed are listed but cannot be picked. */
export function ProviderPicker({
  providers,
  value,
  onChange,
}: {
  providers: ProviderInfo[] | undefined;
  value: string;
  onChange: (provider: string) => void;
}) {
  const options = providerOptions(providers, value);
  return (
    <NativeSelect
      aria-label="Provider"
      title="The agent this pane drives"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="max-w-48 min-w-0 shrink"
    >
      {options.map((o) => (
        <option key={o.id} value={o.id} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </NativeSelect>
  );
}

/** The settings a new session starts with: '' is the agent's own default. */
export interface AgentSettings {
  mode: string;
  model: string;
  thinking: string;
}

export const DEFAULT_SETTINGS: AgentSettings = { mode: '', model: '', thinking: '' };

/** Mode, Model and Thinking, from what the provider's probe reported; none: Default only. */
export function AgentSettingsPickers({
  provider,
  value,
  onChange,
}: {
  provider: ProviderInfo | undefined;
  value: AgentSettings;
  onChange: (next: AgentSettings) => void;
}) {
  return (
    <>
      <ChoicePicker
        name="Mode"
        choices={provider?.modes ?? []}
        value={value.mode}
        onChange={(mode) => onChange({ ...value, mode })}
      />
      <ChoicePicker
        name="Model"
        choices={provider?.models ?? []}
        value={value.model}
        onChange={(model) => onChange({ ...value, model })}
      />
      <ChoicePicker
        name="Thinking"
        choices={provider?.thinkingLevels ?? []}
        value={value.thinking}
        onChange={(thinking) => onChange({ ...value, thinking })}
      />
    </>
  );
}

function ChoicePicker({
  name,
  choices,
  value,
  onChange,
}: {
  name: string;
  choices: Choice[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <NativeSelect
      aria-label={name}
      title={choices.length === 0 ? `${name}: the agent’s default (it lists no choices)` : name}
      value={choices.some((c) => c.id === value) ? value : ''}
      disabled={choices.length === 0}
      onChange={(e) => onChange(e.target.value)}
      className="max-w-48 min-w-0 shrink"
    >
      <option value="">Default {name.toLowerCase()}</option>
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name || c.id}
        </option>
      ))}
    </NativeSelect>
  );
}
