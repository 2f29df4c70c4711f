import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** A comma-separated list, empty entries dropped. */
export const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * The variables every service reads: the front door the browser uses (HOST, PORT, AUTH_MODE
 * ...), so that a request the server forwards passes the same Host and Origin checks, and
 * where the data lives. Each service extends it with its own.
 */
export const serviceEnv = {
  PORT: port(9500),
  HOST: z.string().min(1).default('127.0.0.1'),
  BOOCODE_HOME: z.string().min(1).default(path.join(os.homedir(), '.boocode')),
  BOOCODE_PG_PORT: port(5500),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  AUTH_MODE: z.enum(['token', 'proxy']).default('token'),
  AUTH_PROXY_HEADER: z.string().min(1).default('Remote-User'),
  AUTH_PROXY_USERS: csv,
  AUTH_PROXY_SECRET: z.string().min(16, 'must be 16 characters or more').optional(),
  AUTH_PROXY_SECRET_HEADER: z.string().min(1).default('X-Boocode-Proxy-Secret'),
  TRUSTED_PROXIES: csv.pipe(z.array(z.union([z.ipv4(), z.ipv6()]))),
  ALLOWED_ORIGINS: csv.pipe(z.array(z.url())),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

type ServiceEnv = z.infer<z.ZodObject<typeof serviceEnv>>;

/** Proxy mode needs to know whom to trust: which proxies, and which of their users. */
export function refineProxy<
  T extends z.ZodType<Pick<ServiceEnv, 'AUTH_MODE' | 'TRUSTED_PROXIES' | 'AUTH_PROXY_USERS'>>,
>(schema: T) {
  return schema
    .refine((e) => e.AUTH_MODE !== 'proxy' || e.TRUSTED_PROXIES.length > 0, {
      path: ['TRUSTED_PROXIES'],
      message: 'must list the proxy addresses when AUTH_MODE=proxy',
    })
    .refine((e) => e.AUTH_MODE !== 'proxy' || e.AUTH_PROXY_USERS.length > 0, {
      path: ['AUTH_PROXY_USERS'],
      message:
        'must list the users allowed in when AUTH_MODE=proxy (a shared sign-on knows more people than you)',
    });
}

/** Variables whose value is never echoed in an error. */
export const SERVICE_SECRETS = ['DATABASE_URL', 'AUTH_PROXY_SECRET'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment (empty values count as unset); a bad value throws ConfigError with
 * a one-line message naming the variable, without echoing the value of a secret one.
 */
export function parseEnv<T extends z.ZodType>(
  schema: T,
  env: NodeJS.ProcessEnv,
  secretVars: ReadonlySet<string>,
): z.infer<T> {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = schema.safeParse(set);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const shown = secretVars.has(name) ? '' : ` (got ${JSON.stringify(env[name] ?? '')})`;
  throw new ConfigError(`${name}: ${issue.message}${shown}`);
}

/** What every service takes from {@link serviceEnv}. */
export interface ServiceConfig {
  home: string;
  pgPort: number;
  databaseUrl: string | null;
  authMode: 'token' | 'proxy';
  proxyHeader: string;
  trustedProxies: string[];
  /** AUTH_MODE=proxy: the users the proxy may sign in; anyone else is refused. */
  proxyUsers: string[];
  /** AUTH_MODE=proxy: what the proxy sends in `proxySecretHeader`, when set. */
  proxySecret: string | null;
  proxySecretHeader: string;
  allowedOrigins: string[];
  logLevel: string;
}

export function serviceConfig(e: ServiceEnv): ServiceConfig {
  return {
    home: path.resolve(e.BOOCODE_HOME),
    pgPort: e.BOOCODE_PG_PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    authMode: e.AUTH_MODE,
    proxyHeader: e.AUTH_PROXY_HEADER.toLowerCase(),
    trustedProxies: e.TRUSTED_PROXIES,
    proxyUsers: e.AUTH_PROXY_USERS,
    proxySecret: e.AUTH_PROXY_SECRET ?? null,
    proxySecretHeader: e.AUTH_PROXY_SECRET_HEADER.toLowerCase(),
    allowedOrigins: e.ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    logLevel: e.LOG_LEVEL,
  };
}
