import { mkdir } from 'node:fs/promises';
import { connectDatabase, migrate, type Sql } from '@boocode/db';
import { z } from 'zod';
import { gateSettings, type AuthOptions } from './auth-plugin.ts';
import { port, serviceConfig, type serviceEnv, type ServiceConfig } from './config.ts';
import type { ListenTarget } from './run-service.ts';
import { sessionChecker } from './sessions.ts';
import { followToken, loadOrCreateToken } from './token.ts';

/** A service behind the server (booterm, coder): its own address and the front door's. */
export interface BackendConfig extends ServiceConfig {
  port: number;
  host: string;
  /**
   * A unix socket to listen on instead of `host:port` (the server gives its children one in a
   * 0700 folder of `$BOOCODE_HOME`, so no other local user can reach them or pose as them).
   */
  socket: string | null;
  /** The front door (the server's HOST and PORT), for the Host and Origin checks. */
  publicHost: string;
  publicPort: number;
}

/**
 * The gate of a service behind the server. `token` is `$BOOCODE_HOME/token`: the user's in
 * token mode, the server's voucher for a forwarded request in proxy mode. Its own address is
 * accepted too, for when it is reached directly on its loopback port.
 */
export function backendAuth(
  config: BackendConfig,
  token: string | (() => string),
  sql: Sql,
): AuthOptions {
  const current = typeof token === 'string' ? () => token : token;
  return {
    ...gateSettings(config, { host: config.publicHost, port: config.publicPort }),
    // The server rotates the token: main.ts passes one that follows the file (followToken).
    // Sessions come from the database, where a rotation ends them.
    token: () => (config.authMode === 'token' ? current() : ''),
    sessions: sessionChecker(sql),
    serviceToken: config.authMode === 'proxy' ? current() : undefined,
    extraHosts: [
      ...['127.0.0.1', 'localhost', '[::1]', config.host].map((h) => `${h}:${config.port}`),
      // On its socket, in a folder of the server's alone, only the server reaches it.
      ...(config.socket ? ['localhost'] : []),
    ],
  };
}

/** A backend's own variables: `<P>_PORT`, `<P>_HOST` and `<P>_SOCKET` (see BackendConfig). */
export function backendEnv<P extends string>(prefix: P, defaultPort: number) {
  return {
    [`${prefix}_PORT`]: port(defaultPort),
    [`${prefix}_HOST`]: z.string().min(1).default('127.0.0.1'),
    /** A unix socket to listen on instead of host:port (the server sets it). */
    [`${prefix}_SOCKET`]: z.string().startsWith('/', 'must be an absolute path').optional(),
  } as Record<`${P}_PORT`, ReturnType<typeof port>> &
    Record<`${P}_HOST`, z.ZodDefault<z.ZodString>> &
    Record<`${P}_SOCKET`, z.ZodOptional<z.ZodString>>;
}

/** The BackendConfig of an environment parsed with {@link serviceEnv}, and the backend's own address. */
export function backendConfig(
  e: z.infer<z.ZodObject<typeof serviceEnv>>,
  own: { port: number; host: string; socket?: string },
): BackendConfig {
  return {
    ...serviceConfig(e),
    port: own.port,
    host: own.host,
    socket: own.socket ?? null,
    publicHost: e.HOST,
    publicPort: e.PORT,
  };
}

/** Where a service behind the server listens, and the line that says so. */
export function backendListen(config: BackendConfig): {
  listen: ListenTarget;
  at: string;
} {
  return config.socket
    ? { listen: { path: config.socket }, at: `unix socket ${config.socket}` }
    : {
        listen: { port: config.port, host: config.host },
        at: `http://${config.host}:${config.port}/`,
      };
}

/**
 * What a service behind the server needs before it builds its app: `$BOOCODE_HOME`, the
 * database (migrated: a no-op when the server started it, needed when run alone), the token.
 */
export async function connectBackend(
  config: BackendConfig,
): Promise<{ sql: Sql; token: () => string }> {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const sql = await connectDatabase(config);
  try {
    await migrate(sql);
    return { sql, token: followToken(config.home, await loadOrCreateToken(config.home)) };
  } catch (err) {
    await sql.end({ timeout: 1 }).catch(() => {});
    throw err;
  }
}
