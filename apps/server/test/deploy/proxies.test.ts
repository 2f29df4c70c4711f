import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Me, ServerFrame, type Chat } from '@boocode/protocol';
import {
  freePort,
  startModelServer,
  startServerProcess,
  type ModelServer,
  type ServerProcess,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { SECRET, SIGN_IN, startAuthelia, startCaddy, startNginx, which } from './proxies.ts';
import type { Proxy } from './proxies.ts';

// The shipped proxy configurations (deploy/) in front of the real server in AUTH_MODE=proxy,
// with Authelia's forward-auth answered by a stand-in (see startAuthelia). Here rather than
// in e2e/: no browser is needed, and what is checked is the server's proxy mode and its
// streams, which is this package's.
const appDir = fileURLToPath(new URL('../..', import.meta.url));
const proxies = { caddy: which('caddy'), nginx: which('nginx') };
for (const [name, bin] of Object.entries(proxies))
  if (!bin)
    console.warn(`skipping the ${name} tests: ${name} is not installed (apt-get install ${name})`);

let db: TestDatabase;
let model: ModelServer;
let home: string;
let authelia: Awaited<ReturnType<typeof startAuthelia>>;
let server: ServerProcess;
const ports = { caddy: 0, nginx: 0 };
beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer();
  authelia = await startAuthelia();
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-deploy-'));
  // No agent probes at coder's start: they load the machine and are not under test.
  const off = { enabled: false };
  const providers = { claude: off, opencode: off, qwen: off, copilot: off, goose: off };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify({ providers }));
  ports.caddy = await freePort();
  ports.nginx = await freePort();
  server = await startServerProcess(appDir, {
    PORT: String(await freePort()),
    BOOCODE_HOME: home,
    DATABASE_URL: db.url,
    LLM_BASE_URL: model.url,
    BOOTERM_TMUX_SOCKET: `deploy-${path.basename(home)}`,
    BOOTERM_SHELL: '/bin/bash --noprofile --norc',
    AUTH_MODE: 'proxy',
    TRUSTED_PROXIES: '127.0.0.1',
    AUTH_PROXY_USERS: 'alice',
    AUTH_PROXY_SECRET: SECRET,
    ALLOWED_ORIGINS: `http://127.0.0.1:${ports.caddy},http://127.0.0.1:${ports.nginx}`,
  });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((r) =>
    spawn('tmux', ['-L', `deploy-${path.basename(home)}`, 'kill-server']).once('exit', r),
  );
  await authelia?.close();
  await model?.close();
  await db?.drop();
  if (home) await rm(home, { recursive: true, force: true });
});

test('straight to boocode, past the proxy, a Remote-User header signs nobody in', async () => {
  const res = await fetch(new URL('/api/auth/me', server.url), {
    headers: { 'remote-user': 'alice' },
  });
  expect(res.status).toBe(401);
});

const start = { caddy: startCaddy, nginx: startNginx };
describe.each(['caddy', 'nginx'] as const)('behind %s', (name) => {
  let proxy: Proxy;
  beforeAll(async () => {
    if (!proxies[name]) return;
    proxy = await start[name](ports[name], server.url.host, authelia.address);
  });
  afterAll(async () => {
    await proxy?.stop();
  });
  const get = (p: string, headers: Record<string, string> = {}) =>
    fetch(new URL(p, proxy.origin), { headers, redirect: 'manual' });
  const as = (session: string, more: Record<string, string> = {}) => ({
    cookie: `authelia_session=${session}`,
    ...more,
  });

  test.skipIf(!proxies[name])('the user Authelia names is signed in', async () => {
    const res = await get('/api/auth/me', as('alice'));
    expect(res.status).toBe(200);
    expect(Me.parse(await res.json()).user).toBe('alice');
    // Authelia was asked about the request itself, to apply its rules to it.
    expect(authelia.asked.at(-1)!.uri).toContain('/api/auth/me');
  });

  test.skipIf(!proxies[name])(
    'without an Authelia session the proxy sends the browser to sign in, Remote-User or not',
    async () => {
      for (const headers of [{}, { 'remote-user': 'alice' }] as Record<string, string>[]) {
        const res = await get('/api/auth/me', headers);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')?.startsWith(SIGN_IN)).toBe(true);
      }
    },
  );

  test.skipIf(!proxies[name])(
    "the browser's own Remote-User is replaced by Authelia's answer",
    async () => {
      const res = await get('/api/auth/me', as('alice', { 'remote-user': 'mallory' }));
      expect(Me.parse(await res.json()).user).toBe('alice');
    },
  );

  test.skipIf(!proxies[name])(
    "when Authelia lets a request through naming nobody, the browser's Remote-User is dropped",
    async () => {
      const res = await get('/api/auth/me', as('bypass', { 'remote-user': 'alice' }));
      expect({ status: res.status, body: await res.text() }).toMatchObject({ status: 401 });
    },
  );

  test.skipIf(!proxies[name])(
    'a chat reply streams over the upgraded WebSocket token by token, unbuffered',
    async () => {
      const origin = { origin: proxy.origin, 'content-type': 'application/json' };
      const post = async (p: string, body: unknown) => {
        const res = await fetch(new URL(p, proxy.origin), {
          method: 'POST',
          headers: as('alice', origin),
          body: JSON.stringify(body),
        });
        expect(res.ok).toBe(true);
        return (await res.json()) as unknown;
      };
      const ws = new WebSocket(`${proxy.origin.replace('http', 'ws')}/api/ws`, {
        headers: as('alice', { origin: proxy.origin }),
      });
      let text = '';
      const changed: (() => void)[] = [];
      ws.on('message', (data) => {
        const f = ServerFrame.parse(JSON.parse(String(data)));
        if (f.type === 'chat.part.delta' && f.part === 'text') text += f.text;
        for (const c of changed) c();
      });
      const until = (pred: () => boolean) =>
        new Promise<void>((resolve) => {
          const check = () => pred() && resolve();
          changed.push(check);
          check();
        });
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      try {
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        model.setScript([
          { content: ['first ', 'second ', 'third'], hold: { after: 1, until: held } },
        ]);
        const chat = (await post('/api/chats', {})) as Chat;
        ws.send(JSON.stringify({ type: 'chat.subscribe', chatId: chat.id, afterSeq: 0 }));
        await post(`/api/chats/${chat.id}/messages`, { content: 'hello' });
        // The first token is through the proxy while the model still holds the others.
        await until(() => text.includes('first'));
        expect(text).toBe('first ');
        release();
        await until(() => text.includes('third'));
        expect(text).toBe('first second third');
      } finally {
        ws.close();
      }
    },
  );
});
