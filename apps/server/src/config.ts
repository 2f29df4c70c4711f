import path from 'node:path';
import {
  ConfigError,
  parseEnv,
  port,
  refineProxy,
  SERVICE_SECRETS,
  serviceConfig,
  serviceEnv,
  type ServiceConfig,
} from '@boocode/service';
import { z } from 'zod';

export { ConfigError };

/** Accepts a base URL with or without the trailing `/v1`; always returns it with `/v1`. */
export function normalizeBaseUrl(raw: string): string {
  const u = new URL(raw);
  const p = u.pathname.replace(/\/+$/, '');
  u.pathname = p.endsWith('/v1') ? p : `${p}/v1`;
  return u.toString().replace(/\/+$/, '');
}

/** llama-swap's own default: the endpoint used when none is configured. */
const DEFAULT_LLM_BASE_URL = 'http://127.0.0.1:8080';

const Env = refineProxy(
  z.object({
    ...serviceEnv,
    /** The services the server starts (services.ts) and proxies /api/term, /api/coder to. */
    BOOTERM_PORT: port(9501),
    CODER_PORT: port(9502),
    LLM_BASE_URL: z.url().optional(),
    LLAMA_SWAP_URL: z.url().optional(),
    LLM_API_KEY: z.string().optional(),
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
  }),
).refine((e) => !e.LLM_API_KEY || e.LLM_BASE_URL || e.LLAMA_SWAP_URL, {
  path: ['LLM_API_KEY'],
  message: `is set but LLM_BASE_URL is not: the key would go to whatever listens on ${DEFAULT_LLM_BASE_URL}; set LLM_BASE_URL to your endpoint`,
});

export interface Config extends ServiceConfig {
  port: number;
  host: string;
  bootermPort: number;
  coderPort: number;
  llmBaseUrl: string;
  llmApiKey: string | null;
  webDist: string;
  projects: string[];
  modelPrices: string | null;
  contextWindow: number;
  compactAt: number;
  mcpTimeoutMs: number;
}

/** Never echoed back in an error: they may hold credentials. */
const secretVars = new Set([...SERVICE_SECRETS, 'LLM_API_KEY', 'LLM_BASE_URL', 'LLAMA_SWAP_URL']);

const defaultWebDist = path.resolve(import.meta.dirname, '../../web/dist');

/**
 * Parses the environment once at boot. Throws ConfigError with a one-line
 * message naming the variable when a value is bad.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(Env, env, secretVars);
  return {
    ...serviceConfig(e),
    port: e.PORT,
    host: e.HOST,
    bootermPort: e.BOOTERM_PORT,
    coderPort: e.CODER_PORT,
    llmBaseUrl: normalizeBaseUrl(e.LLM_BASE_URL ?? e.LLAMA_SWAP_URL ?? DEFAULT_LLM_BASE_URL),
    llmApiKey: e.LLM_API_KEY || null,
    webDist: e.BOOCODE_WEB_DIST ? path.resolve(e.BOOCODE_WEB_DIST) : defaultWebDist,
    projects: e.BOOCODE_PROJECTS,
    modelPrices: e.BOOCODE_MODEL_PRICES ?? null,
    contextWindow: e.BOOCODE_CONTEXT_WINDOW,
    compactAt: e.BOOCODE_COMPACT_AT,
    mcpTimeoutMs: e.BOOCODE_MCP_TIMEOUT_MS,
  };
}

/** The address the printed URL opens: the bound one, loopback for a wildcard bind. */
export function publicBase(config: Pick<Config, 'host' | 'port'>): string {
  const shown = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${config.port}/`;
}
