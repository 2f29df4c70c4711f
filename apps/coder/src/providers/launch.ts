import { createHash } from 'node:crypto';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@boocode/protocol';
import { isAgentDriver, type AgentLaunch } from '../agents/backend.ts';
import { writeAtomic } from './config-file.ts';
import type { ProviderEntry } from './defaults.ts';
import { agentPath } from './installed.ts';

/** boocode's model endpoint, which agents are pointed at unless their entry has ownConfig. */
export interface Endpoint {
  /** OpenAI-compatible, ending in /v1. */
  baseUrl: string;
  apiKey: string | null;
  /** Anthropic Messages API, for the Claude agents. */
  anthropicBaseUrl: string | null;
  anthropicApiKey: string | null;
}

/** Sent as the key when the endpoint needs none: the CLIs refuse to start without one. */
export const KEY_PLACEHOLDER = 'boocode';

/** What an agent inherits from coder: locale, terminal, temp dir, proxies. No secrets. */
const INHERITED = [
  'LANG',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'TMPDIR',
  'TZ',
  'USER',
  'LOGNAME',
  'SHELL',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
];

/** The minimal environment every agent starts from: PATH with coder's .bin first. */
export function baseEnv(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = { PATH: agentPath(from.PATH), LANG: 'C.UTF-8' };
  for (const name of INHERITED) {
    const v = from[name];
    if (v) env[name] = v;
  }
  return env;
}

/** The agent's HOME: its own folder under `$BOOCODE_HOME/agents`, or the user's with ownConfig. */
export function agentHome(boocodeHome: string, entry: ProviderEntry): string {
  if (entry.ownConfig)
    return process.env.HOME ?? path.join(boocodeHome, 'agents', entry.id, 'home');
  return path.join(boocodeHome, 'agents', entry.id, 'home');
}

/**
 * Whether the CLI takes its model from us: every one pointed at boocode's OpenAI-compatible
 * endpoint (Claude's models are Anthropic's names; Cursor has its own cloud).
 */
export function wantsModel(entry: ProviderEntry): boolean {
  return !entry.ownConfig && entry.driver !== 'builtin' && !['claude', 'cursor'].includes(entry.id);
}

/**
 * opencode reads its providers from a config file: one custom OpenAI-compatible provider. The
 * file is named by its content, so a running `opencode serve` never sees its config rewritten
 * under it when another model starts another one.
 */
async function opencodeConfig(home: string, endpoint: Endpoint, model?: string): Promise<string> {
  const config = {
    $schema: 'https://opencode.ai/config.json',
    provider: {
      boocode: {
        npm: '@ai-sdk/openai-compatible',
        name: 'boocode',
        options: { baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey ?? KEY_PLACEHOLDER },
        models: model ? { [model]: { name: model } } : {},
      },
    },
    ...(model ? { model: `boocode/${model}`, small_model: `boocode/${model}` } : {}),
    // Only boocode's models: opencode would list its own cloud's (OpenCode Zen) beside them.
    enabled_providers: ['boocode'],
    autoupdate: false,
    share: 'disabled',
    // Edits and commands come to boocode as permission requests (opencode's default allows
    // them): a supervised agent asks before it writes or runs, as qwen and claude do here.
    permission: { edit: 'ask', bash: 'ask' },
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const file = path.join(home, `opencode-boocode-${hash}.json`);
  await writeAtomic(file, text, 0o600);
  return file;
}

/** Each CLI's own variables for boocode's endpoint (agents-offline.md lists them). */
async function endpointEnv(
  entry: ProviderEntry,
  home: string,
  endpoint: Endpoint,
  model?: string,
): Promise<Record<string, string>> {
  const key = endpoint.apiKey ?? KEY_PLACEHOLDER;
  const withModel = (name: string) => (model ? { [name]: model } : {});
  switch (entry.id) {
    case 'qwen':
      return {
        OPENAI_BASE_URL: endpoint.baseUrl,
        OPENAI_API_KEY: key,
        ...withModel('OPENAI_MODEL'),
      };
    case 'copilot':
      return {
        COPILOT_OFFLINE: 'true',
        COPILOT_PROVIDER_BASE_URL: endpoint.baseUrl,
        COPILOT_PROVIDER_API_KEY: key,
        ...withModel('COPILOT_MODEL'),
      };
    case 'opencode':
      return {
        OPENCODE_CONFIG: await opencodeConfig(home, endpoint, model),
        // Its models come from boocode's config: no fetch of opencode's catalog from
        // models.opencode.ai at every start (it does, twice, unless told not to).
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        // No language servers downloaded on the fly into the agent's home.
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
      };
    case 'claude':
      return {
        ...(endpoint.anthropicBaseUrl ? { ANTHROPIC_BASE_URL: endpoint.anthropicBaseUrl } : {}),
        ...(endpoint.anthropicApiKey ? { ANTHROPIC_API_KEY: endpoint.anthropicApiKey } : {}),
        ...withModel('ANTHROPIC_MODEL'),
      };
    case 'goose': {
      // goose's OpenAI provider: host and path apart (its docs; goose is not on npm, so this
      // is not measured here). Keys from the env, not a keyring a fresh HOME does not have;
      // file edits asked for (its default mode allows everything).
      const u = new URL(endpoint.baseUrl);
      return {
        GOOSE_DISABLE_KEYRING: '1',
        GOOSE_MODE: 'smart_approve',
        GOOSE_PROVIDER: 'openai',
        OPENAI_HOST: u.origin,
        OPENAI_BASE_PATH: `${u.pathname.replace(/^\/+/, '')}/chat/completions`,
        OPENAI_API_KEY: key,
        ...withModel('GOOSE_MODEL'),
      };
    }
    case 'cursor':
      // Cursor's agent talks to Cursor's cloud only: no endpoint of ours to give it.
      return {};
    default:
      // An agent the user added: the variables most OpenAI clients read.
      return {
        OPENAI_BASE_URL: endpoint.baseUrl,
        OPENAI_API_KEY: key,
        ...withModel('OPENAI_MODEL'),
      };
  }
}

/** What a CLI needs whatever its endpoint: no self-update, and Claude's root check. */
function fixedEnv(entry: ProviderEntry, isRoot: boolean): Record<string, string> {
  switch (entry.id) {
    case 'claude':
      return {
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        // claude refuses to run as root unless told it is in a sandbox.
        ...(isRoot ? { IS_SANDBOX: '1' } : {}),
      };
    case 'copilot':
      return { COPILOT_AUTO_UPDATE: 'false' };
    default:
      return {};
  }
}

export interface LaunchInput {
  entry: ProviderEntry;
  /** The command resolved on the agents' PATH (tier 1). */
  resolved: string;
  boocodeHome: string;
  endpoint: Endpoint;
  model?: string;
  isRoot?: boolean;
}

/**
 * How to start a provider's agent: its command, and its whole environment (the base, its own
 * HOME, boocode's endpoint in the CLI's variables unless ownConfig, then the entry's env).
 */
export async function buildLaunch(input: LaunchInput): Promise<AgentLaunch> {
  const { entry, endpoint, model } = input;
  if (entry.driver === 'builtin' || !entry.command) {
    throw new AppError('bad_request', `${entry.label} runs inside boocode: it has no process.`);
  }
  const home = agentHome(input.boocodeHome, entry);
  if (!entry.ownConfig) {
    await mkdir(home, { recursive: true, mode: 0o700 });
    await chmod(home, 0o700);
  }
  const isRoot = input.isRoot ?? process.getuid?.() === 0;
  const env = {
    ...baseEnv(),
    HOME: home,
    ...fixedEnv(entry, isRoot),
    ...(entry.ownConfig ? {} : await endpointEnv(entry, home, endpoint, model)),
    ...entry.env,
  };
  const driver = isAgentDriver(entry.driver) ? entry.driver : undefined;
  return { ...(driver ? { driver } : {}), command: input.resolved, args: [...entry.args], env };
}
