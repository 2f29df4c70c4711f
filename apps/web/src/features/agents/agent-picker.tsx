import { useId } from 'react';
import { NativeSelect } from '@boocode/ui';
import { useAgents } from './agents-api.ts';

interface Props {
  value: string | null;
  onChange: (agentId: string | null) => void;
}

/** Picks the agent a new chat starts with: its system prompt, tools and model. */
export function AgentPicker({ value, onChange }: Props) {
  const id = useId();
  const agents = useAgents();
  const list = agents.data?.agents ?? [];
  const picked = list.find((a) => a.id === value);
  return (
    <div className="mx-auto mt-5 w-full max-w-sm text-left">
      <label className="text-muted-foreground mb-1 block text-xs font-medium" htmlFor={id}>
        Agent
      </label>
      <NativeSelect
        id={id}
        value={value ?? ''}
        disabled={agents.isPending}
        onChange={(e) => onChange(e.target.value || null)}
      >
        <option value="">No agent: a plain chat</option>
        {list.map((a) => (
          <option key={a.id} value={a.id}>
            {a.name}
            {a.builtin ? '' : ' (yours)'}
          </option>
        ))}
      </NativeSelect>
      <p className="text-muted-foreground mt-1.5 min-h-8 text-xs">
        {agents.isError
          ? `Could not load the agents: ${agents.error.message}`
          : picked
            ? `${picked.description}${picked.tools && picked.tools.length === 0 ? ' No tools.' : ''}${picked.model ? ` Model: ${picked.model}.` : ''}`
            : `Agents come with boocode; add your own as Markdown files in ${agents.data?.dir ?? 'the agents folder of boocode’s home'}.`}
      </p>
    </div>
  );
}
