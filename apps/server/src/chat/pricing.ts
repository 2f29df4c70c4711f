import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Usage } from '@boocode/protocol';
import { ConfigError } from '../config.ts';

/**
 * Per model: prices in US dollars per million tokens, as providers list them, and
 * the context window in tokens for an endpoint that does not list it.
 */
const ModelFile = z.record(
  z.string().min(1),
  z
    .object({
      input: z.number().nonnegative().optional(),
      output: z.number().nonnegative().optional(),
      contextWindow: z.number().int().positive().optional(),
    })
    .refine((m) => (m.input === undefined) === (m.output === undefined), {
      message: 'give both input and output prices, or neither',
    }),
);

/** Per model, micro-dollars per million tokens: integers, so sums stay exact. */
export type Prices = ReadonlyMap<string, { input: number; output: number }>;

export function parsePrices(json: unknown): Prices {
  return parseModelTable(json).prices;
}

export interface ModelTable {
  prices: Prices;
  contextWindows: ReadonlyMap<string, number>;
}

export function parseModelTable(json: unknown): ModelTable {
  const table = Object.entries(ModelFile.parse(json));
  return {
    prices: new Map(
      table.flatMap(([model, p]) =>
        p.input === undefined || p.output === undefined
          ? []
          : [[model, { input: Math.round(p.input * 1e6), output: Math.round(p.output * 1e6) }]],
      ),
    ),
    contextWindows: new Map(
      table.flatMap(([model, p]) => (p.contextWindow ? [[model, p.contextWindow]] : [])),
    ),
  };
}

/** The cost of one model call in micro-dollars, or null when the model has no price. */
export function costOf(
  prices: Prices,
  model: string,
  { promptTokens, completionTokens }: Usage,
): number | null {
  const p = prices.get(model);
  if (!p) return null;
  return Math.round((promptTokens * p.input + completionTokens * p.output) / 1e6);
}

/**
 * Prices from BOOCODE_MODEL_PRICES (JSON) or else `$BOOCODE_HOME/models.json`:
 * `{ "<model id>": { "input": 2.5, "output": 10 } }` in dollars per million tokens.
 * A bad table stops the start with a message naming where it came from.
 */
export async function loadPrices(
  home: string,
  fromEnv: string | null | undefined,
): Promise<Prices> {
  return (await loadModelTable(home, fromEnv)).prices;
}

/** The model table (prices, context windows) from the environment or models.json. */
export async function loadModelTable(
  home: string,
  fromEnv: string | null | undefined,
): Promise<ModelTable> {
  let source = 'BOOCODE_MODEL_PRICES';
  let text = fromEnv?.trim();
  if (!text) {
    source = path.join(home, 'models.json');
    try {
      text = await readFile(source, 'utf8');
    } catch {
      return { prices: new Map(), contextWindows: new Map() };
    }
  }
  try {
    return parseModelTable(JSON.parse(text));
  } catch (err) {
    const why =
      err instanceof z.ZodError ? (err.issues[0]?.message ?? 'invalid') : 'not valid JSON';
    throw new ConfigError(`${source}: ${why}`);
  }
}
