import { z } from 'zod';
import type { Choice } from '@boocode/protocol';
import type { Endpoint } from './launch.ts';

const ModelsBody = z.object({ data: z.array(z.object({ id: z.string() })) });

/** The models boocode's endpoint lists (`GET /v1/models`); throws a readable error. */
export async function endpointModels(endpoint: Endpoint, timeoutMs: number): Promise<Choice[]> {
  const { baseUrl, apiKey } = endpoint;
  const res = await fetch(`${baseUrl}/models`, {
    headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err: unknown) => {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`The model endpoint ${baseUrl} does not answer (${why}).`);
  });
  if (!res.ok) throw new Error(`The model endpoint answered ${res.status}.`);
  const body = ModelsBody.safeParse(await res.json().catch(() => null));
  if (!body.success) throw new Error('The model endpoint sent no model list.');
  return body.data.data.map((m) => ({ id: m.id, name: m.id }));
}
