import { ErrorBody } from '@boocode/protocol';

/** A failed REST call: `message` is what the user should read. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

type Unauthorized = () => void;
let onUnauthorized: Unauthorized = () => {};

/** Called when any call other than the auth ones answers 401 (the session is gone). */
export function setUnauthorizedHandler(handler: Unauthorized): void {
  onUnauthorized = handler;
}

/** Anything with zod's `safeParse`; the protocol's schemas fit. */
export interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Parses the JSON answer; without it the body is ignored (204s). */
  schema?: Parser<T>;
  signal?: AbortSignal;
}

declare global {
  interface Window {
    /** GETs index.html started before the app's code loaded, by path (see there). */
    __boocodeEarly?: Record<string, Promise<Response>>;
  }
}

/** How long after the page's start an early answer is still taken as current. */
const EARLY_FOR_MS = 10_000;

/** The answer index.html already asked for: taken once, and only near the start. */
function takeEarly(path: string): Promise<Response> | undefined {
  const early = window.__boocodeEarly;
  const res = early?.[path];
  if (!early || !res) return undefined;
  delete early[path];
  return performance.now() < EARLY_FOR_MS ? res : undefined;
}

/** One same-origin JSON call; throws ApiError with the server's `{code, message}`. */
export async function api<T = void>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', body, schema, signal } = options;
  let res: Response;
  try {
    res = await ((method === 'GET' ? takeEarly(path) : undefined) ??
      fetch(path, {
        method,
        credentials: 'same-origin',
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      }));
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'network', 'Cannot reach the boocode server. Is it running?');
  }
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && !path.startsWith('/api/auth/')) onUnauthorized();
    throw error;
  }
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) {
    throw new ApiError(res.status, 'bad_response', `Unexpected answer from ${method} ${path}`);
  }
  return parsed.data;
}

async function readError(res: Response): Promise<ApiError> {
  try {
    const parsed = ErrorBody.safeParse(await res.json());
    if (parsed.success) return new ApiError(res.status, parsed.data.code, parsed.data.message);
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the status line.
  }
  const text = res.statusText ? `${res.status} ${res.statusText}` : `HTTP ${res.status}`;
  return new ApiError(res.status, 'http', `Request failed: ${text}`);
}

/** The message to show for anything thrown. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
