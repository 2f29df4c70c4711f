import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSql } from '@boocode/db';
import { AppError, BOOCODE_VERSION } from '@boocode/protocol';
import { freePort } from '@boocode/testkit';
import { createServiceApp, type AuthOptions, type ServiceApp } from '../src/index.ts';

const TOKEN = 't'.repeat(32);
const auth: AuthOptions = {
  host: '127.0.0.1',
  port: 9500,
  authMode: 'token',
  proxyHeader: 'remote-user',
  trustedProxies: [],
  allowedOrigins: [],
  token: () => TOKEN,
};
const host = { host: '127.0.0.1:9500' };

let app: ServiceApp | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

async function build(websocket = false): Promise<ServiceApp> {
  app = await createServiceApp({
    name: 'booterm',
    logLevel: 'silent',
    auth: { ...auth, extraHosts: websocket ? ['127.0.0.1:0'] : [] },
    websocket: websocket ? { maxPayload: 1024 } : undefined,
  });
  app.get('/api/secret', async () => ({ secret: 1 }));
  app.get('/api/broken', async () => {
    throw new AppError('not_found', 'No such thing.');
  });
  return app;
}

describe('createServiceApp', () => {
  it('answers health without auth, with its name', async () => {
    const a = await build();
    const res = await a.inject({ url: '/api/health', headers: host });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, service: 'booterm', version: BOOCODE_VERSION });
  });

  it('refuses an API route without the token (401), takes it with', async () => {
    const a = await build();
    const anon = await a.inject({ url: '/api/secret', headers: host });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toEqual({ code: 'unauthorized', message: 'Not signed in.' });
    const ok = await a.inject({
      url: '/api/secret',
      headers: { ...host, authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.json()).toEqual({ secret: 1 });
  });

  it('answers a thrown AppError with its code and status', async () => {
    const a = await build();
    const res = await a.inject({
      url: '/api/broken',
      headers: { ...host, authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: 'No such thing.' });
  });

  it('answers 503 database_unavailable while PostgreSQL does not answer, not a bare 500', async () => {
    const a = await build();
    // Nothing listens on this port: postgres.js fails to connect as it does while a killed
    // postmaster is started again.
    const sql = createSql(`postgres://postgres:x@127.0.0.1:${await freePort()}/postgres`, {
      max: 1,
    });
    a.get('/api/rows', async () => sql`select 1`);
    try {
      const res = await a.inject({
        url: '/api/rows',
        headers: { ...host, authorization: `Bearer ${TOKEN}` },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'database_unavailable' });
    } finally {
      await sql.end();
    }
  });

  it('closes while a refused WebSocket upgrade is left open by its client', async () => {
    const a = await build(true);
    a.get('/api/ws', { websocket: true }, (socket) => socket.close());
    await a.listen({ port: 0, host: '127.0.0.1' });
    const { port } = a.server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      // Like a browser's client: it reads the 401 and leaves the socket to the server.
      request(`http://127.0.0.1:${port}/api/ws`, {
        headers: {
          host: `127.0.0.1:9500`,
          origin: 'http://127.0.0.1:9500',
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': Buffer.alloc(16, 1).toString('base64'),
        },
      })
        .on('response', (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
        .end();
    });
    expect(status).toBe(401);
    const closed = a.close().then(() => 'closed');
    app = null;
    const timeout = new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000));
    expect(await Promise.race([closed, timeout])).toBe('closed');
  });
});

describe('logs', () => {
  it('never hold the token, not even at debug with the printed URL', async () => {
    const lines: string[] = [];
    app = await createServiceApp({
      name: 'server',
      logLevel: 'debug',
      auth,
      logStream: { write: (line) => void lines.push(line) },
    });
    await app.inject({ url: `/?token=${TOKEN}&x=1`, headers: host });
    await app.inject({
      url: '/api/health',
      headers: { ...host, authorization: `Bearer ${TOKEN}`, cookie: `boocode_session=${TOKEN}` },
    });
    const all = lines.join('');
    expect(all).toContain('token=[redacted]');
    expect(all).not.toContain(TOKEN);
  });
});
