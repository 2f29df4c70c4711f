import WebSocket from 'ws';
import type { z } from 'zod';
import { ErrorBody } from '@boocode/protocol';
import type { Connection } from './connection.ts';
import { CliError, unreachable } from './errors.ts';

type Query = Record<string, string | number | undefined>;

/**
 * The server's REST and WebSocket API with the user's token, every reply parsed with its
 * schema from @boocode/protocol. A refusal becomes a CliError with the server's own message;
 * no server, or one that refuses the token, gives exit code 3.
 */
export class Api {
  constructor(readonly conn: Connection) {}

  get<S extends z.ZodType>(schema: S, pathname: string, query?: Query): Promise<z.infer<S>> {
    return this.request(schema, 'GET', pathname, undefined, query);
  }

  post<S extends z.ZodType>(schema: S, pathname: string, body?: unknown): Promise<z.infer<S>> {
    return this.request(schema, 'POST', pathname, body ?? {});
  }

  async request<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    pathname: string,
    body?: unknown,
    query?: Query,
  ): Promise<z.infer<S>> {
    const url = this.url(pathname, query);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.conn.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw unreachable(`Cannot reach boocode at ${this.conn.base.origin}: ${causeOf(err)}.`);
    }
    const text = await res.text();
    const json = parseJson(text);
    if (!res.ok) throw refusal(res.status, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CliError(
        `Unexpected reply from ${method} ${url.pathname}: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }

  /**
   * Opens a WebSocket and hands each message, parsed with `schema`, to `onMessage` until it
   * returns something other than undefined: that value resolves the promise and the socket
   * closes. A socket that closes first rejects. `hello` is sent once the socket is open.
   */
  follow<S extends z.ZodType, T>(
    pathname: string,
    query: Query,
    schema: S,
    onMessage: (m: z.infer<S>) => T | undefined,
    hello?: unknown,
  ): Promise<T> {
    const url = this.url(pathname, query);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.conn.token}` },
      origin: this.conn.base.origin,
    });
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        ws.close();
        f();
      };
      if (hello !== undefined) ws.on('open', () => ws.send(JSON.stringify(hello)));
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => finish(() => reject(refusal(status, parseJson(text)))));
      });
      ws.on('error', (err) =>
        finish(() => reject(unreachable(`Cannot reach boocode: ${causeOf(err)}.`))),
      );
      ws.on('close', (code, reason) =>
        finish(() =>
          reject(new CliError(`The server closed the stream (${code} ${reason.toString()}).`)),
        ),
      );
      ws.on('message', (data: Buffer) => {
        if (done) return;
        const parsed = schema.safeParse(parseJson(data.toString('utf8')));
        if (!parsed.success) {
          return finish(() => reject(new CliError(`Unexpected message on ${url.pathname}.`)));
        }
        let out: T | undefined;
        try {
          out = onMessage(parsed.data);
        } catch (err) {
          return finish(() => reject(err instanceof Error ? err : new Error(String(err))));
        }
        if (out !== undefined) finish(() => resolve(out));
      });
    });
  }

  private url(pathname: string, query: Query = {}): URL {
    const url = new URL(pathname.replace(/^\//, ''), this.conn.base);
    for (const [k, v] of Object.entries(query)) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    return url;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

function refusal(status: number, json: unknown): CliError {
  const body = ErrorBody.safeParse(json);
  const message = body.success ? body.data.message : `HTTP ${status}`;
  if (status === 401) return unreachable(`boocode refused the token: ${message}`);
  if (status === 403) return unreachable(`boocode refused the request: ${message}`);
  if (body.success && body.data.code === 'upstream_unavailable') return unreachable(message);
  return new CliError(message);
}

function causeOf(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}
