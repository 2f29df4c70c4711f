import type { ClientSideConnection } from '@agentclientprotocol/sdk';
import type { Choice } from '@boocode/protocol';
import { z } from 'zod';
import type { AgentStarted } from '../backend.ts';

const Named = z.object({ name: z.string() }).loose();
const SelectOption = Named.extend({ value: z.string() });
const SelectGroup = z.object({ options: z.array(SelectOption) }).loose();
const ConfigOption = z
  .object({
    id: z.string(),
    type: z.string(),
    category: z.string().nullish(),
    currentValue: z.unknown(),
    // A flat list, or groups of options: both are read as one list.
    options: z.array(z.unknown()).optional(),
  })
  .loose();

/**
 * The part of `session/new`'s answer we read. `models` is the older unstable model selector
 * (qwen, claude-code-acp send it); newer agents put models and modes in `configOptions`.
 */
export const NewSessionReply = z
  .object({
    sessionId: z.string(),
    modes: z
      .object({
        currentModeId: z.string(),
        availableModes: z.array(Named.extend({ id: z.string() })),
      })
      .loose()
      .nullish(),
    models: z
      .object({
        currentModelId: z.string(),
        availableModels: z.array(Named.extend({ modelId: z.string() })),
      })
      .loose()
      .nullish(),
    configOptions: z.array(z.unknown()).nullish(),
  })
  .loose();
export type NewSessionReply = z.infer<typeof NewSessionReply>;

type Setter =
  | { via: 'method'; method: 'session/set_mode' | 'session/set_model' }
  | { via: 'config'; configId: string };

interface Selector {
  choices: Choice[];
  current: string | null;
  setter: Setter | null;
}

/** The models and modes an agent offers, and how each is set. */
export interface SessionSettings {
  models: Selector;
  modes: Selector;
}

export function readSettings(reply: NewSessionReply): SessionSettings {
  const configs = (reply.configOptions ?? []).flatMap((o) => {
    const parsed = ConfigOption.safeParse(o);
    return parsed.success && parsed.data.type === 'select' ? [parsed.data] : [];
  });
  const fromConfig = (category: string): Selector | null => {
    const c = configs.find((o) => o.category === category);
    if (!c) return null;
    const choices = (c.options ?? []).flatMap((o) => {
      const option = SelectOption.safeParse(o);
      if (option.success) return [option.data];
      const group = SelectGroup.safeParse(o);
      return group.success ? group.data.options : [];
    });
    return {
      choices: choices.map((o) => ({ id: String(o.value), name: o.name })),
      current: typeof c.currentValue === 'string' ? c.currentValue : null,
      setter: { via: 'config', configId: c.id },
    };
  };
  const modes: Selector = reply.modes
    ? {
        choices: reply.modes.availableModes.map((m) => ({ id: m.id, name: m.name })),
        current: reply.modes.currentModeId,
        setter: { via: 'method', method: 'session/set_mode' },
      }
    : (fromConfig('mode') ?? { choices: [], current: null, setter: null });
  const models: Selector = reply.models
    ? {
        choices: reply.models.availableModels.map((m) => ({ id: m.modelId, name: m.name })),
        current: reply.models.currentModelId,
        setter: { via: 'method', method: 'session/set_model' },
      }
    : (fromConfig('model') ?? { choices: [], current: null, setter: null });
  return { models, modes };
}

export function startedOf(s: SessionSettings): AgentStarted {
  return {
    models: s.models.choices,
    modes: s.modes.choices,
    currentModel: s.models.current,
    currentMode: s.modes.current,
  };
}

/**
 * Sets a mode or model through the agent's selector. Resolves with null when it took it (or the
 * agent has no such selector: nothing to set), or the reason it could not (a value it does not
 * offer, a refusal), so the caller can report it without failing the session.
 */
export async function applySetting(
  conn: ClientSideConnection,
  sessionId: string,
  what: 'mode' | 'model',
  selector: Selector,
  value: string,
): Promise<string | null> {
  if (!selector.setter) return null;
  if (!selector.choices.some((c) => c.id === value)) {
    const offered = selector.choices.map((c) => c.id).join(', ') || 'none';
    return `the agent does not offer the ${what} "${value}" (offered: ${offered})`;
  }
  try {
    const setter = selector.setter;
    if (setter.via === 'config') {
      await conn.setSessionConfigOption({ sessionId, configId: setter.configId, value });
    } else if (setter.method === 'session/set_mode') {
      await conn.setSessionMode({ sessionId, modeId: value });
    } else {
      await conn.request('session/set_model', { sessionId, modelId: value });
    }
    selector.current = value;
    return null;
  } catch (err) {
    return `the agent refused the ${what} "${value}": ${errorText(err)}`;
  }
}

/** An error's message, with a JSON-RPC error's data when it says more. */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const data = (err as { data?: unknown }).data;
  if (data === undefined || data === null) return err.message;
  return `${err.message} ${typeof data === 'string' ? data : JSON.stringify(data)}`;
}
