import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const csv = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * booterm reads the same variables as the server (HOST, PORT, AUTH_MODE ... describe the
 * front door the browser uses, so that a request the server forwards passes the same Host
 * and Origin checks) plus its own BOOTERM_* ones.
 */
const Env = z
  .object({
    BOOTERM_PORT: port(9501),
    BOOTERM_HOST: z.string().min(1).default('127.0.0.1'),
    /** tmux socket name (`tmux -L`): tests use their own so that they never touch the user's. */
    BOOTERM_TMUX_SOCKET: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('boocode'),
    /** The program a new local terminal runs; default: the user's login shell (tmux's default). */
    BOOTERM_SHELL: z.string().optional(),
    /** Lines of scrollback sent on (re)attach. */
    BOOTERM_REPLAY_LINES: z.coerce.number().int().min(0).max(50_000).default(5000),
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
    TRUSTED_PROXIES: csv.pipe(z.array(z.union([z.ipv4(), z.ipv6()]))),
    ALLOWED_ORIGINS: csv.pipe(z.array(z.url())),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .refine((e) => e.AUTH_MODE !== 'proxy' || e.TRUSTED_PROXIES.length > 0, {
    path: ['TRUSTED_PROXIES'],
    message: 'must list the proxy addresses when AUTH_MODE=proxy',
  });

export interface Config {
  port: number;
  host: string;
  tmuxSocket: string;
  /** argv of a new local terminal's program; null: tmux's default (the login shell). */
  shell: string[] | null;
  replayLines: number;
  /** The front door (the server's HOST and PORT), for the Host and Origin checks. */
  publicHost: string;
  publicPort: number;
  home: string;
  pgPort: number;
  databaseUrl: string | null;
  authMode: 'token' | 'proxy';
  proxyHeader: string;
  trustedProxies: string[];
  allowedOrigins: string[];
  logLevel: string;
}

const secretVars = new Set(['DATABASE_URL']);

/** Parses the environment once at boot; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const empty = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = Env.safeParse(empty);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown = secretVars.has(name) ? '' : ` (got ${JSON.stringify(env[name] ?? '')})`;
    throw new ConfigError(`${name}: ${issue.message}${shown}`);
  }
  const e = r.data;
  const shell = e.BOOTERM_SHELL?.trim().split(/\s+/).filter(Boolean);
  return {
    port: e.BOOTERM_PORT,
    host: e.BOOTERM_HOST,
    tmuxSocket: e.BOOTERM_TMUX_SOCKET,
    shell: shell?.length ? shell : null,
    replayLines: e.BOOTERM_REPLAY_LINES,
    publicHost: e.HOST,
    publicPort: e.PORT,
    home: path.resolve(e.BOOCODE_HOME),
    pgPort: e.BOOCODE_PG_PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    authMode: e.AUTH_MODE,
    proxyHeader: e.AUTH_PROXY_HEADER.toLowerCase(),
    trustedProxies: e.TRUSTED_PROXIES,
    allowedOrigins: e.ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    logLevel: e.LOG_LEVEL,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
