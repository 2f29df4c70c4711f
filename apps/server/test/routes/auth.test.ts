import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startModelServer, type ModelServer, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { PUBLIC_API } from '@boocode/service';
import { BOOCODE_VERSION } from '@boocode/protocol';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { startHarness, TOKEN, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
let db: TestDatabase;
let model: ModelServer;
beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer();
  h = await startHarness({}, { db, model });
});
afterAll(async () => {
  await h.close();
  await model.close();
  await db.drop();
});

/** Every route the app registers, walked so that a new route cannot be left open. */
async function routeTable(): Promise<{ method: string; url: string }[]> {
  const routes: { method: string; url: string }[] = [];
  const config = loadConfig({
    LLM_BASE_URL: model.url,
    LOG_LEVEL: 'silent',
    BOOCODE_WEB_DIST: '/nonexistent',
  });
  const { app } = await buildApp({
    config,
    sql: db.sql,
    token: TOKEN,
    onRoute: (r) => {
      for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url });
    },
  });
  await app.ready();
  await app.close();
  return routes;
}

const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');

describe('auth', () => {
  it('refuses every non-public route without auth, with 401', async () => {
    const routes = (await routeTable()).filter((r) => r.url.startsWith('/api'));
    expect(routes.length).toBeGreaterThan(8);
    for (const r of routes) {
      const res = await fetch(h.base + fill(r.url), {
        method: r.method,
        headers: { origin: h.origin, 'content-type': 'application/json' },
        body: ['GET', 'HEAD'].includes(r.method) ? undefined : '{}',
      });
      const isPublic = PUBLIC_API.has(`${r.method} ${r.url}`);
      if (isPublic) expect(res.status, `${r.method} ${r.url}`).not.toBe(401);
      else expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('refuses a wrong token and a wrong cookie', async () => {
    const bad = await fetch(`${h.base}/api/chats`, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    for (const cookie of [
      'boocode_session=nope',
      `boocode_session=${TOKEN}`,
      `boocode_token=${TOKEN}`,
    ]) {
      const badCookie = await fetch(`${h.base}/api/chats`, { headers: { cookie } });
      expect(badCookie.status, cookie).toBe(401);
    }
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie that then works', async () => {
    const wrong = await fetch(`${h.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.origin },
      body: JSON.stringify({ token: 'wrong' }),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const res = await fetch(`${h.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.origin },
      body: JSON.stringify({ token: TOKEN }),
    });
    expect(res.status).toBe(204);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(cookie).toMatch(/^boocode_session=/);
    expect(cookie).not.toContain(TOKEN);
    const me = await fetch(`${h.base}/api/auth/me`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(await me.json()).toEqual({ user: 'owner' });
  });

  it('answers health without auth, saying nothing private', async () => {
    const res = await fetch(`${h.base}/api/health`);
    expect(await res.json()).toEqual({ ok: true, service: 'server', version: BOOCODE_VERSION });
  });

  it('refuses a WebSocket without auth (401)', async () => {
    await expect(WsClient.open(h, { authorization: '' })).rejects.toThrow('HTTP 401');
  });

  it('refuses a WebSocket from a foreign Origin (403), even with the token', async () => {
    await expect(WsClient.open(h, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket with no Origin (403)', async () => {
    const ws = new WebSocket(`${h.base.replace('http', 'ws')}/api/ws`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const status = await new Promise<number>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(403);
  });

  it('refuses a state-changing request from a foreign Origin and changes nothing', async () => {
    const before = await h.api<{ chats: unknown[] }>('GET', '/api/chats');
    const res = await fetch(`${h.base}/api/chats`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        origin: 'http://evil.example',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    expect(res.status).toBe(403);
    const after = await h.api<{ chats: unknown[] }>('GET', '/api/chats');
    expect(after.body.chats.length).toBe(before.body.chats.length);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(`${h.base}/api/health`, { headers: { host: 'evil.example' } }, (r) =>
          resolve(r.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end();
      }, reject);
    });
    expect(res).toBe(403);
  });
});

describe('proxy auth', () => {
  it('takes Remote-User from a trusted proxy only', async () => {
    const trusted = await startHarness(
      { AUTH_MODE: 'proxy', TRUSTED_PROXIES: '127.0.0.1', AUTH_PROXY_USERS: 'alice' },
      { db, model },
    );
    const ok = await fetch(`${trusted.base}/api/auth/me`, { headers: { 'remote-user': 'alice' } });
    expect(await ok.json()).toEqual({ user: 'alice' });
    const none = await fetch(`${trusted.base}/api/auth/me`);
    expect(none.status).toBe(401);
    await trusted.close();

    const untrusted = await startHarness(
      { AUTH_MODE: 'proxy', TRUSTED_PROXIES: '10.9.9.9', AUTH_PROXY_USERS: 'alice' },
      { db, model },
    );
    const spoofed = await fetch(`${untrusted.base}/api/auth/me`, {
      headers: { 'remote-user': 'alice' },
    });
    expect(spoofed.status).toBe(401);
    const withToken = await fetch(`${untrusted.base}/api/chats`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(withToken.status).toBe(401);
    await untrusted.close();
  });

  it('lets in only the users of AUTH_PROXY_USERS, though the proxy vouches for anyone', async () => {
    const p = await startHarness(
      { AUTH_MODE: 'proxy', TRUSTED_PROXIES: '127.0.0.1', AUTH_PROXY_USERS: 'alice, bob' },
      { db, model },
    );
    try {
      const me = (user: string) =>
        fetch(`${p.base}/api/auth/me`, { headers: { 'remote-user': user } });
      expect(await (await me('bob')).json()).toEqual({ user: 'bob' });
      const other = await me('mallory');
      expect(other.status).toBe(403);
      expect(((await other.json()) as { message: string }).message).toMatch(/AUTH_PROXY_USERS/);
    } finally {
      await p.close();
    }
  });

  it("takes the proxy's user only with the proxy's secret, when one is set", async () => {
    const secret = 'proxy-secret-0123456789';
    const p = await startHarness(
      {
        AUTH_MODE: 'proxy',
        TRUSTED_PROXIES: '127.0.0.1',
        AUTH_PROXY_USERS: 'alice',
        AUTH_PROXY_SECRET: secret,
      },
      { db, model },
    );
    try {
      const me = (headers: Record<string, string>) =>
        fetch(`${p.base}/api/auth/me`, { headers: { 'remote-user': 'alice', ...headers } });
      // Any local process can reach a proxy's loopback address: the header alone is not enough.
      expect((await me({})).status).toBe(401);
      expect((await me({ 'x-boocode-proxy-secret': 'wrong-secret-0123456789' })).status).toBe(401);
      expect(await (await me({ 'x-boocode-proxy-secret': secret })).json()).toEqual({
        user: 'alice',
      });
    } finally {
      await p.close();
    }
  });
});

describe('Host check', () => {
  it('holds whatever the bind address: only loopback names, HOST and ALLOWED_ORIGINS', async () => {
    const p = await startHarness(
      { HOST: '0.0.0.0', ALLOWED_ORIGINS: 'https://boo.example.com' },
      { db, model },
    );
    try {
      const port = new URL(p.base).port;
      const status = (host: string) =>
        new Promise<number>((resolve, reject) => {
          void import('node:http').then(({ request }) => {
            const req = request(`${p.base}/api/health`, { headers: { host } }, (r) =>
              resolve(r.statusCode ?? 0),
            );
            req.on('error', reject);
            req.end();
          }, reject);
        });
      expect(await status('evil.example')).toBe(403);
      expect(await status(`192.168.1.20:${port}`)).toBe(403);
      expect(await status(`localhost:${port}`)).toBe(200);
      expect(await status('boo.example.com')).toBe(200);
    } finally {
      await p.close();
    }
  });
});

describe('sessions', () => {
  /** Signs in with `token` as a browser would; answers the session's cookie. */
  async function signIn(base: string, token = TOKEN, agent = 'test-browser'): Promise<string> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base, 'user-agent': agent },
      body: JSON.stringify({ token }),
    });
    expect(res.status).toBe(204);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }
  const as = (base: string, cookie: string, method = 'GET', p = '/api/auth/me') =>
    fetch(base + p, { method, headers: { cookie, origin: base } });

  it('lists the signed-in browsers, ends one of them, and signing out ends the own', async () => {
    const a = await signIn(h.base, TOKEN, 'browser-a');
    const b = await signIn(h.base, TOKEN, 'browser-b');
    const list = (await (await as(h.base, a, 'GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; userAgent: string; current: boolean }[];
    };
    const mine = list.sessions.find((s) => s.current)!;
    expect(mine.userAgent).toBe('browser-a');
    const other = list.sessions.find((s) => s.userAgent === 'browser-b')!;
    expect(other.current).toBe(false);

    expect((await as(h.base, a, 'DELETE', `/api/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await as(h.base, b)).status).toBe(401);
    expect((await as(h.base, a)).status).toBe(200);

    const out = await as(h.base, a, 'POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^boocode_session=;/);
    expect((await as(h.base, a)).status).toBe(401);
  });

  it('cuts the open sockets of a session when it is ended, signed out or its token replaced', async () => {
    const a = await signIn(h.base, TOKEN, 'browser-a');
    const b = await signIn(h.base, TOKEN, 'browser-b');
    const open = (cookie: string) => WsClient.open(h, { authorization: '', cookie });
    const [wsA, wsB, wsBearer] = [await open(a), await open(b), await WsClient.open(h)];
    const list = (await (await as(h.base, a, 'GET', '/api/auth/sessions')).json()) as {
      sessions: { id: string; userAgent: string }[];
    };
    const idB = list.sessions.find((s) => s.userAgent === 'browser-b')!.id;

    expect((await as(h.base, a, 'DELETE', `/api/auth/sessions/${idB}`)).status).toBe(204);
    await wsB.closed;
    expect(wsA.ws.readyState).toBe(WebSocket.OPEN);

    expect((await as(h.base, a, 'POST', '/api/auth/logout')).status).toBe(204);
    await wsA.closed;
    // A socket opened with the token itself belongs to no session: the token still holds.
    expect(wsBearer.ws.readyState).toBe(WebSocket.OPEN);
    await wsBearer.close();
  });

  it('marks the cookie Secure when a trusted TLS proxy says the page came over https', async () => {
    const p = await startHarness({ TRUSTED_PROXIES: '127.0.0.1' }, { db, model });
    try {
      const login = (proto: string) =>
        fetch(`${p.base}/api/auth/login`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: p.origin,
            'x-forwarded-proto': proto,
          },
          body: JSON.stringify({ token: TOKEN }),
        });
      expect((await login('https')).headers.get('set-cookie')).toMatch(/; Secure/i);
      expect((await login('http')).headers.get('set-cookie')).not.toMatch(/Secure/i);
    } finally {
      await p.close();
    }
  });

  it('replaces the token: the old one no longer signs in, and every other session ends', async () => {
    const { mkdtemp, readFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-rotate-'));
    const p = await startHarness({ BOOCODE_HOME: home }, { db, model });
    try {
      const mine = await signIn(p.base);
      const other = await signIn(p.base);
      const open = (cookie: string) => WsClient.open(p, { authorization: '', cookie });
      const [mineWs, otherWs] = [await open(mine), await open(other)];
      const res = await as(p.base, mine, 'POST', '/api/auth/token/rotate');
      expect(res.status).toBe(200);
      const { url } = (await res.json()) as { url: string };
      const fresh = new URL(url).searchParams.get('token')!;
      expect(fresh).not.toBe(TOKEN);
      expect((await readFile(path.join(home, 'token'), 'utf8')).trim()).toBe(fresh);
      expect((await as(p.base, mine)).status).toBe(200);
      expect((await as(p.base, other)).status).toBe(401);
      await otherWs.closed;
      expect(mineWs.ws.readyState).toBe(WebSocket.OPEN);
      await mineWs.close();
      const old = await fetch(`${p.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: p.base },
        body: JSON.stringify({ token: TOKEN }),
      });
      expect(old.status).toBe(401);
      await signIn(p.base, fresh);
    } finally {
      await p.close();
      await rm(home, { recursive: true, force: true });
    }
  });
});
