import { z } from 'zod';

/**
 * `$BOOCODE_HOME/run/server.json` (0600): where the running server listens, written once it and
 * its services answer and removed when it stops. The `boocode` CLI finds the server with it.
 */
export const ServerRunFile = z.object({
  url: z.url(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
});
export type ServerRunFile = z.infer<typeof ServerRunFile>;
