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

/** Accepts a base URL with or without the trailing `/v1`; always returns it with `/v1`. */
export function normalizeBaseUrl(raw: string): string {
  const u = new URL(raw);
  const p = u.pathname.replace(/\/+$/, '');
  u.pathname = p.endsWith('/v1') ? p : `${p}/v1`;
  return u.toString().replace(/\/+$/, '');
}

const Env = z
  .object({
    PORT: port(9500),
    HOST: z.string().min(1).default('127.0.0.1'),
    BOOCODE_HOME: z.string().min(1).default(path.join(os.homedir(), '.boocode')),
    BOOCODE_PG_PORT: port(5500),
    /** The services the server starts (services.ts) and proxies /api/term, /api/coder to. */
    BOOTERM_PORT: port(9501),
    CODER_PORT: port(9502),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    LLM_BASE_URL: z.url().optional(),
    LLAMA_SWAP_URL: z.url().optional(),
    LLM_API_KEY: z.string().optional(),
    AUTH_MODE: z.enum(['token', 'proxy']).default('token'),
    AUTH_PROXY_HEADER: z.string().min(1).default('Remote-User'),
    TRUSTED_PROXIES: csv.pipe(z.array(z.union([z.ipv4(), z.ipv6()]))),
    ALLOWED_ORIGINS: csv.pipe(z.array(z.url())),
    BOOCODE_WEB_DIST: z.string().optional(),
    /** Model prices as JSON (else `$BOOCODE_HOME/models.json`); see chat/pricing.ts. */
    BOOCODE_MODEL_PRICES: z.string().optional(),
    /** Paths of git repositories to register as projects at start, separated by ':'. */
    BOOCODE_PROJECTS: z
      .string()
      .optional()
      .transform((s) =>
        (s ?? '')
          .split(':')
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().refine((p) => p.startsWith('/'), 'each path must be absolute'))),
    /** How long an MCP request may take (ms) unless the server's entry says otherwise. */
    BOOCODE_MCP_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
    /** Context window of models the endpoint does not describe (tokens). */
    BOOCODE_CONTEXT_WINDOW: z.coerce.number().int().min(1024).default(32768),
    /** Compact a chat after a reply that used this share of the model's context window. */
    BOOCODE_COMPACT_AT: z.coerce.number().gt(0).max(1).default(0.8),
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
  home: string;
  pgPort: number;
  bootermPort: number;
  coderPort: number;
  databaseUrl: string | null;
  llmBaseUrl: string;
  llmApiKey: string | null;
  authMode: 'token' | 'proxy';
  proxyHeader: string;
  trustedProxies: string[];
  allowedOrigins: string[];
  webDist: string;
  logLevel: string;
  projects: string[];
  modelPrices: string | null;
  contextWindow: number;
  compactAt: number;
  mcpTimeoutMs: number;
}

/** Never echoed back in an error: they may hold credentials. */
const secretVars = new Set(['DATABASE_URL', 'LLM_API_KEY', 'LLM_BASE_URL', 'LLAMA_SWAP_URL']);

const defaultWebDist = path.resolve(import.meta.dirname, '../../web/dist');

/**
 * Parses the environment once at boot. Throws ConfigError with a one-line
 * message naming the variable when a value is bad.
 */
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
  return {
    port: e.PORT,
    host: e.HOST,
    home: path.resolve(e.BOOCODE_HOME),
    pgPort: e.BOOCODE_PG_PORT,
    bootermPort: e.BOOTERM_PORT,
    coderPort: e.CODER_PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    llmBaseUrl: normalizeBaseUrl(e.LLM_BASE_URL ?? e.LLAMA_SWAP_URL ?? 'http://127.0.0.1:8080'),
    llmApiKey: e.LLM_API_KEY || null,
    authMode: e.AUTH_MODE,
    proxyHeader: e.AUTH_PROXY_HEADER.toLowerCase(),
    trustedProxies: e.TRUSTED_PROXIES,
    allowedOrigins: e.ALLOWED_ORIGINS.map((o) => new URL(o).origin),
    webDist: e.BOOCODE_WEB_DIST ? path.resolve(e.BOOCODE_WEB_DIST) : defaultWebDist,
    logLevel: e.LOG_LEVEL,
    projects: e.BOOCODE_PROJECTS,
    modelPrices: e.BOOCODE_MODEL_PRICES ?? null,
    contextWindow: e.BOOCODE_CONTEXT_WINDOW,
    compactAt: e.BOOCODE_COMPACT_AT,
    mcpTimeoutMs: e.BOOCODE_MCP_TIMEOUT_MS,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
