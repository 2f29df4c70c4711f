import { z } from 'zod';

/** The three services; each answers `GET /api/health` with its name. */
export const ServiceName = z.enum(['server', 'booterm', 'coder']);
export type ServiceName = z.infer<typeof ServiceName>;

/**
 * `GET /api/health`, open without auth: says the service is up, which one, and boocode's
 * version. The server waits for booterm's and coder's before it prints its URL.
 */
export const HealthResponse = z.object({
  ok: z.literal(true),
  service: ServiceName,
  version: z.string().min(1),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
