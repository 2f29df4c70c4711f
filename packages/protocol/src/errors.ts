import { z } from 'zod';

/** Stable error codes and the HTTP status each maps to. */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** A bound on what one user may pile up (terminals, pending changes ...) is reached. */
  limit_reached: 429,
  model_unreachable: 502,
  model_error: 502,
  /** booterm or coder, behind the server, is not answering. */
  upstream_unavailable: 502,
  /** PostgreSQL is not answering (its postmaster died and is being started again, or it is down). */
  database_unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export const ErrorBody = z.object({
  code: z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The one error type thrown by services; the HTTP layer turns it into `{ code, message }`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
  get status(): number {
    return errorStatus[this.code];
  }
}

/**
 * The one error for a thing asked for that does not exist, whatever it is: code `not_found`
 * (404), message "No such <what>." `what` names the kind and any detail, such as `'chat'` or
 * `'message in this chat'`.
 */
export function notFound(what: string): AppError {
  return new AppError('not_found', `No such ${what}.`);
}
