import { z } from 'zod';
import { Id } from './chat.ts';

/** `POST /api/auth/login`: the printed token, traded for a session cookie of its own. */
export const LoginBody = z.object({ token: z.string().min(1).max(200) });

export const Me = z.object({ user: z.string() });
export type Me = z.infer<typeof Me>;

/** A signed-in browser, as Settings lists it. */
export const SessionInfo = z.object({
  id: Id,
  userAgent: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  /** The session of the request that asked. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionList = z.object({ sessions: z.array(SessionInfo) });
export type SessionList = z.infer<typeof SessionList>;

export const SessionParams = z.object({ sessionId: Id });

/** `POST /api/auth/token/rotate`: the new token's URL; every other session has ended. */
export const RotatedToken = z.object({ url: z.string() });
export type RotatedToken = z.infer<typeof RotatedToken>;
