import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mergeEntries, type ProviderEntry } from '../../src/providers/defaults.ts';
import { CODER_BIN } from '../../src/providers/installed.ts';
import { buildLaunch, KEY_PLACEHOLDER, type Endpoint } from '../../src/providers/launch.ts';
import type { ProviderConfig } from '@boocode/protocol';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-launch-'));
});
afterEach(() => rm(home, { recursive: true, force: true }));

const endpoint: Endpoint = {
  baseUrl: 'http://127.0.0.1:8731/v1',
  apiKey: 'sk-llm',
  anthropicBaseUrl: 'http://127.0.0.1:8732',
  anthropicApiKey: 'sk-ant',
};

function entry(id: string, config: Partial<ProviderConfig> = {}): ProviderEntry {
  const merged = mergeEntries({ [id]: { enabled: true, ownConfig: false, ...config } });
  if (!merged.ok) throw new Error('bad entry');
  return merged.entries.find((e) => e.id === id)!;
}

const launch = (id: string, more: { model?: string; isRoot?: boolean; ep?: Endpoint } = {}) =>
  buildLaunch({
    entry: entry(id),
    resolved: `/bin/${id}`,
    boocodeHome: home,
    endpoint: more.ep ?? endpoint,
    model: more.model,
    isRoot: more.isRoot ?? false,
  });

describe('every agent', () => {
  test('gets its own 0700 HOME under $BOOCODE_HOME/agents, and PATH with coder .bin first', async () => {
    const l = await launch('qwen');
    const agentHome = path.join(home, 'agents/qwen/home');
    expect(l.env.HOME).toBe(agentHome);
    expect((await stat(agentHome)).mode & 0o777).toBe(0o700);
    expect(l.env.PATH?.split(':')[0]).toBe(CODER_BIN);
  });

  test("inherits none of coder's own secrets or settings", async () => {
    const before = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://secret@127.0.0.1/x';
    const l = await launch('qwen').finally(() => {
      if (before === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = before;
    });
    for (const name of ['DATABASE_URL', 'LLM_API_KEY', 'AUTH_PROXY_SECRET', 'BOOCODE_HOME']) {
      expect(l.env).not.toHaveProperty(name);
    }
  });

  test('starts the resolved command with the default arguments, named by its driver', async () => {
    expect(await launch('qwen')).toMatchObject({
      driver: 'acp',
      command: '/bin/qwen',
      args: ['--acp'],
    });
    expect(await launch('opencode')).toMatchObject({ driver: 'http', args: [] });
  });

  test("takes a driver's own default arguments when the file changes only the driver", async () => {
    const acp = await buildLaunch({
      entry: entry('opencode', { driver: 'acp', command: 'opencode' }),
      resolved: '/bin/opencode',
      boocodeHome: home,
      endpoint,
    });
    expect(acp).toMatchObject({ driver: 'acp', args: ['acp'] });
  });

  test('CLAUDE_SDK_BACKEND puts claude on the SDK and its CLI, whatever the file says', () => {
    const file = { claude: { enabled: true, ownConfig: false, driver: 'acp' as const } };
    const merged = mergeEntries(file, { claudeSdk: '/sdk/claude' });
    const claude = merged.ok ? merged.entries.find((e) => e.id === 'claude') : undefined;
    expect(claude).toMatchObject({ driver: 'sdk', command: '/sdk/claude', args: [] });
  });

  test("has its entry's env last, over boocode's own variables", async () => {
    const l = await buildLaunch({
      entry: entry('qwen', { env: { OPENAI_MODEL: 'mine', EXTRA: '1' } }),
      resolved: '/bin/qwen',
      boocodeHome: home,
      endpoint,
      model: 'scripted-small',
    });
    expect(l.env).toMatchObject({ OPENAI_MODEL: 'mine', EXTRA: '1' });
  });

  test('with ownConfig gets no endpoint variables and keeps the user HOME', async () => {
    const l = await buildLaunch({
      entry: entry('qwen', { ownConfig: true }),
      resolved: '/bin/qwen',
      boocodeHome: home,
      endpoint,
    });
    expect(l.env).not.toHaveProperty('OPENAI_BASE_URL');
    expect(l.env.HOME).toBe(process.env.HOME);
  });

  test('boocode has no process to launch', async () => {
    await expect(launch('boocode')).rejects.toMatchObject({ code: 'bad_request' });
  });
});

describe('the endpoint in each CLI variables', () => {
  test('qwen: OPENAI_BASE_URL, OPENAI_API_KEY and OPENAI_MODEL', async () => {
    expect((await launch('qwen', { model: 'm1' })).env).toMatchObject({
      OPENAI_BASE_URL: endpoint.baseUrl,
      OPENAI_API_KEY: 'sk-llm',
      OPENAI_MODEL: 'm1',
    });
  });

  test('a placeholder key when the endpoint needs none', async () => {
    const l = await launch('qwen', { ep: { ...endpoint, apiKey: null } });
    expect(l.env.OPENAI_API_KEY).toBe(KEY_PLACEHOLDER);
  });

  test('copilot: offline, no self-update, its BYOK provider variables', async () => {
    expect((await launch('copilot', { model: 'm1' })).env).toMatchObject({
      COPILOT_OFFLINE: 'true',
      COPILOT_AUTO_UPDATE: 'false',
      COPILOT_PROVIDER_BASE_URL: endpoint.baseUrl,
      COPILOT_PROVIDER_API_KEY: 'sk-llm',
      COPILOT_MODEL: 'm1',
    });
  });

  test('opencode: OPENCODE_CONFIG, a 0600 file in its home with boocode as its only provider', async () => {
    const l = await launch('opencode', { model: 'm1' });
    expect(l.env).toMatchObject({
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
    });
    const file = l.env.OPENCODE_CONFIG!;
    expect(path.dirname(file)).toBe(path.join(home, 'agents/opencode/home'));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      provider: {
        boocode: {
          npm: '@ai-sdk/openai-compatible',
          options: { baseURL: endpoint.baseUrl, apiKey: 'sk-llm' },
          models: { m1: { name: 'm1' } },
        },
      },
      model: 'boocode/m1',
      enabled_providers: ['boocode'],
      permission: { edit: 'ask', bash: 'ask' },
    });
  });

  test("claude: coder's ANTHROPIC_* variables and no non-essential traffic", async () => {
    const l = await launch('claude');
    expect(l.env).toMatchObject({
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:8732',
      ANTHROPIC_API_KEY: 'sk-ant',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    expect(l.env).not.toHaveProperty('IS_SANDBOX');
  });

  test('claude as root: IS_SANDBOX=1', async () => {
    expect((await launch('claude', { isRoot: true })).env.IS_SANDBOX).toBe('1');
  });

  test('claude without an Anthropic endpoint: no ANTHROPIC_* at all', async () => {
    const ep = { ...endpoint, anthropicBaseUrl: null, anthropicApiKey: null };
    const l = await launch('claude', { ep });
    expect(Object.keys(l.env).filter((k) => k.startsWith('ANTHROPIC_'))).toEqual([]);
  });

  test('goose: its openai provider, host and path apart, edits asked for', async () => {
    expect((await launch('goose', { model: 'm1' })).env).toMatchObject({
      GOOSE_MODE: 'smart_approve',
      GOOSE_DISABLE_KEYRING: '1',
      GOOSE_PROVIDER: 'openai',
      OPENAI_HOST: 'http://127.0.0.1:8731',
      OPENAI_BASE_PATH: 'v1/chat/completions',
      GOOSE_MODEL: 'm1',
    });
  });

  test('cursor: nothing of the endpoint (it talks to its own cloud)', async () => {
    const l = await launch('cursor');
    expect(Object.keys(l.env).filter((k) => /OPENAI|ANTHROPIC/.test(k))).toEqual([]);
  });

  test('an added agent: the usual OPENAI_* variables', async () => {
    const l = await buildLaunch({
      entry: entry('mine', { command: 'my-agent', args: ['--acp'] }),
      resolved: '/opt/my-agent',
      boocodeHome: home,
      endpoint,
    });
    expect(l).toMatchObject({ command: '/opt/my-agent', args: ['--acp'] });
    expect(l.env).toMatchObject({ OPENAI_BASE_URL: endpoint.baseUrl, OPENAI_API_KEY: 'sk-llm' });
  });
});
