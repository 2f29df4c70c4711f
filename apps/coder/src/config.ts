import {
  backendConfig,
  backendEnv,
  parseEnv,
  refineProxy,
  SERVICE_SECRETS,
  serviceEnv,
  type BackendConfig,
} from '@boocode/service';
import { z } from 'zod';
import type { Endpoint } from './providers/launch.ts';

export { ConfigError } from '@boocode/service';

/** llama-swap's own default, as the server's: the endpoint used when none is configured. */
const DEFAULT_LLM_BASE_URL = 'http://127.0.0.1:8080';

/**
 * The variables of every service (see serviceEnv), coder's own CODER_* ones, and the model
 * endpoint the agents are pointed at (the server passes its own LLM_* on).
 */
const Env = refineProxy(
  z.object({
    ...serviceEnv,
    ...backendEnv('CODER', 9502),
    LLM_BASE_URL: z.url().optional(),
    LLAMA_SWAP_URL: z.url().optional(),
    LLM_API_KEY: z.string().optional(),
    /** For the Claude agents, which speak Anthropic's Messages API only. */
    ANTHROPIC_BASE_URL: z.url().optional(),
    ANTHROPIC_API_KEY: z.string().optional(),
    /** 1: Claude runs on the Claude Agent SDK (warm sessions kept in PostgreSQL), not ACP. */
    CLAUDE_SDK_BACKEND: z.enum(['0', '1', '']).optional(),
  }),
);

export interface Config extends BackendConfig {
  endpoint: Endpoint;
  claudeSdk: boolean;
}

/** Never echoed back in an error: they may hold credentials. */
const secretVars = new Set([
  ...SERVICE_SECRETS,
  'LLM_API_KEY',
  'LLM_BASE_URL',
  'LLAMA_SWAP_URL',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
]);

/** Accepts a base URL with or without the trailing `/v1`; returns it with `/v1` (as the server). */
function withV1(raw: string): string {
  const u = new URL(raw);
  const p = u.pathname.replace(/\/+$/, '');
  u.pathname = p.endsWith('/v1') ? p : `${p}/v1`;
  return u.toString().replace(/\/+$/, '');
}

/** Parses the environment once at boot; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(Env, env, secretVars);
  return {
    ...backendConfig(e, { port: e.CODER_PORT, host: e.CODER_HOST, socket: e.CODER_SOCKET }),
    endpoint: {
      baseUrl: withV1(e.LLM_BASE_URL ?? e.LLAMA_SWAP_URL ?? DEFAULT_LLM_BASE_URL),
      apiKey: e.LLM_API_KEY || null,
      anthropicBaseUrl: e.ANTHROPIC_BASE_URL ?? null,
      anthropicApiKey: e.ANTHROPIC_API_KEY || null,
    },
    claudeSdk: e.CLAUDE_SDK_BACKEND === '1',
  };
}
