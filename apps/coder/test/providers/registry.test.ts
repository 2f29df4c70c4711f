import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { ProviderList, type ErrorBody, type ProviderInfo } from '@boocode/protocol';
import { startModelServer, type ModelServer, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { ProbeAgent } from '../../src/providers/probes.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';
import { handshake, writeAgents } from './acp-fixture.ts';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
const SHIPPED = ['claude', 'opencode', 'qwen', 'copilot'];
let db: TestDatabase;
let model: ModelServer;
let home: string;
let agents: Awaited<ReturnType<typeof writeAgents>>;
let registry: ProviderRegistry;
let app: FastifyInstance;

beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer({ models: [{ id: 'scripted-small' }, { id: 'scripted-big' }] });
});
afterAll(async () => {
  await model.close();
  await db.drop();
});

async function open(probeAcp: ProbeAgent = handshake, probeTimeoutMs = 2_000) {
  const config = loadConfig({ BOOCODE_HOME: home, LOG_LEVEL: 'silent', LLM_BASE_URL: model.url });
  const probe = { acp: probeAcp, http: probeAcp, sdk: probeAcp };
  registry = new ProviderRegistry({ home, endpoint: config.endpoint, probe, probeTimeoutMs });
  app = await buildApp({ config, sql: db.sql, token: TOKEN, providers: registry });
  await app.ready();
}

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-registry-'));
  agents = await writeAgents(home);
  await writeFile(
    path.join(home, 'coder-providers.json'),
    JSON.stringify({
      providers: {
        // The real CLIs coder ships are not what these tests probe (acp-*.test.ts do that).
        ...Object.fromEntries(SHIPPED.map((id) => [id, { enabled: false }])),
        tiny: { label: 'Tiny', command: agents.tiny },
        exits: { label: 'Exits', command: agents.exits },
        silent: { label: 'Silent', command: agents.silent },
        gone: { label: 'Gone', command: path.join(home, 'no-such-agent') },
      },
    }),
  );
  await open();
});
afterEach(async () => {
  await registry.idle();
  await app.close();
  await rm(home, { recursive: true, force: true });
});

async function call<T>(method: 'GET' | 'POST' | 'PATCH', url: string, body?: object) {
  const res = await app.inject({
    method,
    url,
    headers: { host: '127.0.0.1:9500', authorization: `Bearer ${TOKEN}` },
    ...(body ? { payload: body } : {}),
  });
  return { status: res.statusCode, body: res.json<T>() };
}
const list = async () => {
  const res = await call<ProviderList>('GET', '/api/coder/providers');
  expect(res.status).toBe(200);
  return ProviderList.parse(res.body);
};
const one = (l: ProviderList, id: string) => l.providers.find((p) => p.id === id)!;
const probe = async (id: string) => {
  const res = await call<ProviderList>('POST', `/api/coder/providers/${id}/probe`);
  expect(res.status).toBe(200);
  return one(res.body, id);
};

describe('the snapshot', () => {
  test('lists the built-ins, then the added ones, with the config path and no error', async () => {
    const l = await list();
    expect(l.providers.map((p) => p.id)).toEqual([
      ...['boocode', 'claude', 'opencode', 'goose', 'qwen', 'copilot', 'cursor'],
      ...['tiny', 'exits', 'silent', 'gone'],
    ]);
    expect(l).toMatchObject({
      configPath: path.join(home, 'coder-providers.json'),
      configError: null,
    });
  });

  test('tier 1: boocode always installed; a command on disk with its x.y.z; a missing one not', async () => {
    const l = await list();
    expect(one(l, 'boocode')).toMatchObject({ installed: true, driver: 'builtin', command: null });
    expect(one(l, 'tiny')).toMatchObject({
      installed: true,
      version: '0.4.2',
      command: agents.tiny,
    });
    expect(one(l, 'gone')).toMatchObject({ installed: false, version: null });
    expect(one(l, 'cursor')).toMatchObject({ installed: false, label: 'Cursor' });
  });

  test('a bad file: configError with its line, the defaults listed', async () => {
    await writeFile(
      path.join(home, 'coder-providers.json'),
      '{\n  "providers": {\n    "x": 1\n  }\n}',
    );
    const l = await list();
    expect(l.configError).toMatch(/line 3: providers\.x: /);
    expect(l.providers.map((p) => p.id)).toHaveLength(7);
  });
});

describe('first start', () => {
  test('writes coder-providers.json with the defaults when there is none', async () => {
    const file = path.join(home, 'coder-providers.json');
    await rm(file);
    await registry.start();
    await registry.stop(); // the shipped CLIs it would probe next are not this test's
    const doc = JSON.parse(await readFile(file, 'utf8')) as { providers: object };
    expect(Object.keys(doc.providers)).toEqual([
      ...['boocode', 'claude', 'opencode', 'goose', 'qwen', 'copilot', 'cursor'],
    ]);
    expect((await list()).configError).toBeNull();
  });
});

describe('PATCH', () => {
  test('turns a provider off in the file, and the snapshot says so', async () => {
    const res = await call<ProviderList>('PATCH', '/api/coder/providers/qwen', { enabled: false });
    expect(res.status).toBe(200);
    expect(one(res.body, 'qwen').enabled).toBe(false);
    const file = JSON.parse(await readFile(path.join(home, 'coder-providers.json'), 'utf8')) as {
      providers: Record<string, { enabled?: boolean }>;
    };
    expect(file.providers.qwen).toEqual({ enabled: false });
    expect(one(await list(), 'qwen').enabled).toBe(false);
  });

  test('an unknown provider is a 404', async () => {
    const res = await call<ErrorBody>('PATCH', '/api/coder/providers/nobody', { enabled: false });
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  test('a body with another field is a 400 and changes nothing', async () => {
    const before = await readFile(path.join(home, 'coder-providers.json'), 'utf8');
    const res = await call<ErrorBody>('PATCH', '/api/coder/providers/qwen', { command: 'rm' });
    expect(res.status).toBe(400);
    expect(await readFile(path.join(home, 'coder-providers.json'), 'utf8')).toBe(before);
  });

  test('a bad file is a 409 with its error, and is not overwritten', async () => {
    const file = path.join(home, 'coder-providers.json');
    await writeFile(file, '{"providers": {"qwen": {"enabled": "yes"}}}');
    const res = await call<ErrorBody>('PATCH', '/api/coder/providers/qwen', { enabled: false });
    expect(res).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(res.body.message).toMatch(/line 1: providers\.qwen\.enabled/);
    expect(await readFile(file, 'utf8')).toBe('{"providers": {"qwen": {"enabled": "yes"}}}');
  });
});

describe('tier 2', () => {
  test('before any probe: unprobed, no models', async () => {
    expect(one(await list(), 'tiny')).toMatchObject({
      probe: { state: 'unprobed', at: null, error: null },
      models: [],
    });
  });

  test('a probe of an agent that answers: ok, its models and modes, cached on disk', async () => {
    const p: ProviderInfo = await probe('tiny');
    expect(p.probe).toMatchObject({ state: 'ok', error: null });
    expect(Date.parse(p.probe.at!)).not.toBeNaN();
    expect(p.models).toEqual([
      { id: 'small', name: 'Small' },
      { id: 'big', name: 'Big' },
    ]);
    expect(p.modes).toEqual([{ id: 'default', name: 'Default' }]);
    const cached = await readFile(path.join(home, 'coder-probes.json'), 'utf8');
    expect(JSON.parse(cached)).toMatchObject({ probes: { tiny: { at: p.probe.at, error: null } } });
  });

  test("the thinking levels an agent reports are the provider's, and kept in the cache", async () => {
    const high = { id: 'high', name: 'High' };
    await app.close();
    await open((l, o) =>
      handshake(l, o).then((r) => (r.ok ? { ...r, thinkingLevels: [high] } : r)),
    );
    expect((await probe('tiny')).thinkingLevels).toEqual([high]);
    await app.close();
    await open();
    expect(one(await list(), 'tiny').thinkingLevels).toEqual([high]);
  });

  test('the cache outlives the process: a new registry shows the last probe', async () => {
    await probe('tiny');
    await app.close();
    await open();
    expect(one(await list(), 'tiny').models).toHaveLength(2);
  });

  test('a missing binary: failed, saying it is not on PATH', async () => {
    expect((await probe('gone')).probe).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/not installed: .*not on PATH/),
    });
  });

  test('a process that exits at once: failed with the reason', async () => {
    expect((await probe('exits')).probe).toMatchObject({
      state: 'failed',
      error: 'exited with code 3',
    });
  });

  test('one that never answers: probing while it runs, then failed at the timeout', async () => {
    await app.close();
    await open(handshake, 300);
    const running = call<ProviderList>('POST', '/api/coder/providers/silent/probe');
    await expect.poll(async () => one(await list(), 'silent').probe.state).toBe('probing');
    const done = await running;
    expect(one(done.body, 'silent').probe).toMatchObject({
      state: 'failed',
      error: 'no answer within 300 ms',
    });
  });

  test('a probe that hangs past its own timeout is cut by the registry', async () => {
    await app.close();
    await open(() => new Promise(() => undefined), 10);
    expect((await probe('tiny')).probe.error).toMatch(/did not answer its handshake/);
  });

  test('a failed probe keeps the models of the last good one', async () => {
    await probe('tiny');
    await app.close();
    await open(async () => ({ ok: false, error: 'broken now' }));
    const p = await probe('tiny');
    expect(p.probe).toMatchObject({ state: 'failed', error: 'broken now' });
    expect(p.models).toHaveLength(2);
  });

  test('boocode: its models from the endpoint', async () => {
    const p = await probe('boocode');
    expect(p.probe.state).toBe('ok');
    expect(p.models.map((m) => m.id)).toEqual(['scripted-small', 'scripted-big']);
  });

  test('an unknown provider is a 404', async () => {
    const res = await call<ErrorBody>('POST', '/api/coder/providers/nobody/probe');
    expect(res.status).toBe(404);
  });

  test('at start: enabled, installed ACP providers only are probed in the background', async () => {
    await call('PATCH', '/api/coder/providers/exits', { enabled: false });
    await registry.start();
    await registry.idle();
    const l = await list();
    expect(one(l, 'tiny').probe.state).toBe('ok');
    expect(one(l, 'silent').probe.state).toBe('failed');
    for (const id of ['exits', 'gone', 'cursor', 'boocode']) {
      expect(one(l, id).probe.state).toBe('unprobed');
    }
  });
  test('at the next start, only those whose last probe did not answer are probed again', async () => {
    await registry.start();
    await registry.idle();
    await app.close();
    const probed: string[] = [];
    await open((launch, opts) => {
      probed.push(launch.command);
      return handshake(launch, opts);
    });
    await registry.start();
    await registry.idle();
    expect(probed).toEqual([agents.exits, agents.silent]);
    expect(one(await list(), 'tiny').probe.state).toBe('ok');
  });
});

describe('probes at start', () => {
  test('each one due shows as probing until it ran, so a client knows modes are to come', async () => {
    await app.close();
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let began = () => {};
    const first = new Promise<void>((r) => (began = r));
    await open(async () => {
      began();
      await gate;
      return { ok: true, agent: 'gated', version: '1', models: [], modes: [] };
    });
    const starting = registry.start();
    await first; // one probe runs; the others wait for their turn
    const l = await list().finally(release);
    for (const id of ['tiny', 'exits', 'silent']) expect(one(l, id).probe.state).toBe('probing');
    for (const id of ['gone', 'cursor', 'boocode']) expect(one(l, id).probe.state).toBe('unprobed');
    await starting;
    await registry.idle();
    expect((await list()).providers.filter((p) => p.probe.state === 'probing')).toEqual([]);
  });
});

describe('launchFor', () => {
  test('without a model, one pointed at the endpoint gets the endpoint first model', async () => {
    const launch = await registry.launchFor('tiny');
    expect(launch).toMatchObject({ command: agents.tiny, args: [] });
    expect(launch.env).toMatchObject({
      OPENAI_BASE_URL: model.url,
      OPENAI_MODEL: 'scripted-small',
    });
  });

  test('with no model given and none listed by a dead endpoint: a conflict saying what to do', async () => {
    const dead = { ...loadConfig({ BOOCODE_HOME: home, LLM_BASE_URL: 'http://127.0.0.1:9/v1' }) };
    await expect(registry.launchFor('tiny', { endpoint: dead.endpoint })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('lists no model: start it or set LLM_BASE_URL'),
    });
    const chosen = await registry.launchFor('tiny', { endpoint: dead.endpoint, model: 'm1' });
    expect(chosen.env.OPENAI_MODEL).toBe('m1');
  });

  test('the model asked for wins', async () => {
    expect((await registry.launchFor('tiny', { model: 'scripted-big' })).env.OPENAI_MODEL).toBe(
      'scripted-big',
    );
  });

  test('a provider that is not installed cannot be launched: a conflict naming the command', async () => {
    await expect(registry.launchFor('gone')).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('no-such-agent'),
    });
  });
});
