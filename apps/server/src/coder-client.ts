import http from 'node:http';
import WebSocket from 'ws';
import type { z } from 'zod';
import { AppError, ErrorBody, type AgentTurnApi } from '@boocode/protocol';
import type { ServiceConfig } from '@boocode/service';
import type { ServiceAddress } from './service-address.ts';

/**
 * The server's own client of coder's API (Boomerang's `dispatch`), straight to its address with
 * `$BOOCODE_HOME/token` as the bearer, which coder checks in both auth modes (in proxy mode with
 * the proxy's user header too). Every reply is parsed with its
 * schema; a refusal rejects with coder's own message. `signal` closes a followed socket.
 */
export class CoderClient implements AgentTurnApi {
  constructor(
    private readonly address: ServiceAddress,
    /** The bearer token, and in proxy mode the user header the gate wants too. */
    private readonly auth: () => Record<string, string>,
    private readonly signal?: AbortSignal,
  ) {}

  /** The same client, its sockets closed when `signal` aborts. */
  withSignal(signal: AbortSignal): CoderClient {
    return new CoderClient(this.address, this.auth, signal);
  }

  /** Host and Origin as coder's gate accepts them for its own address, and the auth. */
  private headers(): Record<string, string> {
    const host = 'url' in this.address ? new URL(this.address.url).host : 'localhost';
    return { host, origin: `http://${host}`, ...this.auth() };
  }

  post<S extends z.ZodType>(schema: S, pathname: string, body: unknown = {}): Promise<z.infer<S>> {
    const payload = JSON.stringify(body);
    const target: http.RequestOptions =
      'url' in this.address
        ? { ...urlParts(new URL(pathname, this.address.url)) }
        : { socketPath: this.address.socketPath, path: pathname, host: 'localhost' };
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          ...target,
          method: 'POST',
          headers: {
            ...this.headers(),
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => {
            const json = parseJson(text);
            if ((res.statusCode ?? 500) >= 400) return reject(refusal(res.statusCode ?? 500, json));
            const parsed = schema.safeParse(json);
            if (parsed.success) resolve(parsed.data);
            else
              reject(new Error(`Unexpected reply from coder ${pathname}: ${parsed.error.message}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', () =>
        reject(new AppError('upstream_unavailable', 'BooCoder is not running.')),
      );
      req.end(payload);
    });
  }

  follow<S extends z.ZodType, T>(
    pathname: string,
    query: Record<string, string | number | undefined>,
    schema: S,
    onMessage: (m: z.infer<S>) => T | undefined,
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, String(v));
    const url =
      'url' in this.address
        ? `${this.address.url.replace(/^http/, 'ws')}${pathname}?${search}`
        : `ws+unix://${this.address.socketPath}:${pathname}?${search}`;
    const { origin, ...headers } = this.headers();
    const ws = new WebSocket(url, { headers, origin });
    const signal = this.signal;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const finish = (f: () => void) => {
        if (done) return;
        done = true;
        signal?.removeEventListener('abort', onAbort);
        ws.close();
        f();
      };
      const onAbort = () => finish(() => reject(new Error('The follow was cancelled.')));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort);
      ws.on('unexpected-response', (_req, res) =>
        finish(() => reject(new Error(`coder refused the socket (${res.statusCode ?? 0})`))),
      );
      ws.on('message', (data: Buffer) => {
        const parsed = schema.safeParse(parseJson(data.toString('utf8')));
        if (!parsed.success) {
          return finish(() => reject(new Error(`Unexpected message: ${parsed.error.message}`)));
        }
        const out = onMessage(parsed.data);
        if (out !== undefined) finish(() => resolve(out));
      });
      ws.on('error', (err) => finish(() => reject(err)));
      ws.on('close', () => finish(() => reject(new Error('coder closed the socket.'))));
    });
  }
}

/** The headers that vouch for the server's own requests to coder, as the proxy's do. */
export function coderAuth(
  config: Pick<
    ServiceConfig,
    'authMode' | 'proxyHeader' | 'proxyUsers' | 'proxySecret' | 'proxySecretHeader'
  >,
  serviceToken: string | undefined,
  token: () => string,
): () => Record<string, string> {
  if (config.authMode !== 'proxy') return () => ({ authorization: `Bearer ${token()}` });
  // One user: the first of AUTH_PROXY_USERS (boocode is single-user).
  return () => ({
    authorization: `Bearer ${serviceToken ?? ''}`,
    [config.proxyHeader]: config.proxyUsers[0] ?? '',
    ...(config.proxySecret ? { [config.proxySecretHeader]: config.proxySecret } : {}),
  });
}

function urlParts(u: URL): http.RequestOptions {
  return { hostname: u.hostname, port: u.port, path: `${u.pathname}${u.search}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function refusal(status: number, json: unknown): Error {
  const body = ErrorBody.safeParse(json);
  return new Error(body.success ? body.data.message : `coder answered ${status}`);
}
