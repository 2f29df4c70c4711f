import { openSession } from '@boocode/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_API } from '@boocode/service';
import { BOOCODE_VERSION } from '@boocode/protocol';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openTerminal, startBooterm, TOKEN, type Booterm } from './helpers.ts';

let b: Booterm;
beforeAll(async () => {
  b = await startBooterm();
});
afterAll(async () => {
  await b.close();
});

async function routeTable(): Promise<{ method: string; url: string }[]> {
  const routes: { method: string; url: string }[] = [];
  const config = loadConfig({
    BOOCODE_HOME: b.home,
    BOOTERM_TMUX_SOCKET: b.socket,
    LOG_LEVEL: 'silent',
  });
  const { app } = await buildApp({
    config,
    sql: b.db.sql,
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

describe('booterm auth', () => {
  it('refuses every non-public route without auth, with 401', async () => {
    const routes = (await routeTable()).filter((r) => r.url.startsWith('/api'));
    expect(routes.length).toBeGreaterThan(8);
    for (const r of routes) {
      const res = await fetch(b.base + fill(r.url), {
        method: r.method,
        headers: { origin: b.origin, 'content-type': 'application/json' },
        body: ['GET', 'HEAD'].includes(r.method) ? undefined : '{}',
      });
      if (PUBLIC_API.has(`${r.method} ${r.url}`)) expect(res.status).not.toBe(401);
      else expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('answers health without auth', async () => {
    const res = await fetch(`${b.base}/api/health`);
    expect(await res.json()).toEqual({ ok: true, service: 'booterm', version: BOOCODE_VERSION });
  });

  it('refuses a terminal socket without auth (401)', async () => {
    const t = await b.create();
    await expect(openTerminal(b, t.id, { headers: { authorization: '' } })).rejects.toThrow(
      'HTTP 401',
    );
  });

  it('refuses a terminal socket from a foreign Origin (403), even with the token', async () => {
    const t = await b.create();
    await expect(
      openTerminal(b, t.id, { headers: { origin: 'http://evil.example' } }),
    ).rejects.toThrow('HTTP 403');
  });

  it('takes the session cookie the server trades the token for, and not the token as one', async () => {
    const t = await b.create();
    const { secret } = await openSession(b.db.sql, 'test');
    const c = await openTerminal(b, t.id, {
      headers: { authorization: '', cookie: `boocode_session=${secret}` },
    });
    await c.waitForControl('terminal.replayed');
    await c.close();
    for (const cookie of [`boocode_session=${TOKEN}`, `boocode_token=${TOKEN}`]) {
      await expect(
        openTerminal(b, t.id, { headers: { authorization: '', cookie } }),
        cookie,
      ).rejects.toThrow('HTTP 401');
    }
  });

  it("accepts the server's Host and Origin, as the proxy forwards them", async () => {
    const t = await b.create();
    const front = 'http://127.0.0.1:9500';
    const c = await openTerminal(b, t.id, {
      headers: { host: '127.0.0.1:9500', origin: front },
    });
    await c.waitForControl('terminal.replayed');
    await c.close();
    const rebound = await openTerminal(b, t.id, {
      headers: { host: 'evil.example:9500', origin: 'http://evil.example:9500' },
    }).catch((e: Error) => e.message);
    expect(rebound).toBe('HTTP 403');
  });
});

describe('booterm proxy auth', () => {
  it("takes the proxy's user only with the server's service token", async () => {
    const p = await startBooterm({
      AUTH_MODE: 'proxy',
      TRUSTED_PROXIES: '10.9.9.9',
      AUTH_PROXY_USERS: 'alice',
    });
    try {
      const url = `${p.base}/api/term/terminals`;
      const spoofed = await fetch(url, { headers: { 'remote-user': 'alice' } });
      expect(spoofed.status).toBe(401);
      const forwarded = await fetch(url, {
        headers: { 'remote-user': 'alice', authorization: `Bearer ${TOKEN}` },
      });
      expect(forwarded.status).toBe(200);
      const noUser = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(noUser.status).toBe(401);
      // The allow-list holds behind the server too.
      const stranger = await fetch(url, {
        headers: { 'remote-user': 'mallory', authorization: `Bearer ${TOKEN}` },
      });
      expect(stranger.status).toBe(403);
    } finally {
      await p.close();
    }
  });
});
