import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Terminal, TerminalList } from '@boocode/protocol';
import {
  freePort,
  startModelServer,
  TermClient,
  type ModelServer,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { startServices, type Services } from '../src/services.ts';
import { startHarness, TOKEN, type Harness } from './helpers.ts';

const bootermDir = path.resolve(import.meta.dirname, '../../booterm');

let db: TestDatabase;
let model: ModelServer;
let h: Harness;
let home: string;
let services: Services;
const socket = `server-test-${process.pid}`;
const log: string[] = [];

beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer();
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-proxy-'));
  await writeFile(path.join(home, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  const bootermPort = await freePort();
  h = await startHarness({ BOOTERM_PORT: String(bootermPort) }, { db, model });
  services = startBooterm(h, bootermPort, socket, {});
  await services.ready();
}, 120_000);

afterAll(async () => {
  await services?.stop();
  await killTmux(socket);
  await h?.close();
  await model?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

/** booterm as the server starts it, in front of harness `to`, with `env` on top. */
function startBooterm(
  to: Harness,
  port: number,
  tmuxSocket: string,
  env: Record<string, string>,
): Services {
  const out = { write: (s: string) => log.push(s) } as unknown as NodeJS.WritableStream;
  return startServices(
    [
      {
        name: 'booterm',
        dir: bootermDir,
        address: { url: `http://127.0.0.1:${port}` },
        env: {
          DATABASE_URL: db.url,
          BOOCODE_HOME: home,
          PORT: new URL(to.base).port,
          BOOTERM_PORT: String(port),
          BOOTERM_TMUX_SOCKET: tmuxSocket,
          BOOTERM_SHELL: '/bin/bash --noprofile --norc',
          LOG_LEVEL: 'warn',
          ...env,
        },
      },
    ],
    out,
    { initialMs: 100, maxMs: 400, stableMs: 60_000 },
  );
}

async function killTmux(tmuxSocket: string): Promise<void> {
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server left
  }
  await rm(path.join('/tmp', `tmux-${process.getuid?.()}`, tmuxSocket), { force: true });
}

/** A terminal socket through harness `via`, as the browser holds it. */
function openWs(p: string, headers: Record<string, string> = {}, via: Harness = h) {
  return TermClient.open(`${via.base.replace('http', 'ws')}${p}`, {
    headers: { authorization: `Bearer ${TOKEN}`, origin: via.origin, ...headers },
  });
}

describe('the server in front of booterm', () => {
  it('forwards /api/term with auth, and answers 401 itself without', async () => {
    const list = await h.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ terminals: [] });
    const none = await fetch(`${h.base}/api/term/terminals`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ code: 'unauthorized' });
  });

  it('forwards a terminal socket both ways, bytes and all', async () => {
    const t = await h.api<Terminal>('POST', '/api/term/terminals', { cols: 90, rows: 20 });
    expect(t.status).toBe(201);
    const c = await openWs(`/api/term/terminals/${t.body.id}/ws?cols=90&rows=20`);
    c.type('echo via-$((20+3))');
    await c.waitForText('via-23');
    await c.close();
  });

  it("passes the service's close on: killing the terminal ends the socket with 1000", async () => {
    const t = await h.api<Terminal>('POST', '/api/term/terminals', {});
    const c = await openWs(`/api/term/terminals/${t.body.id}/ws`);
    expect((await h.api('DELETE', `/api/term/terminals/${t.body.id}`)).status).toBe(204);
    expect(await c.closed).toEqual({ code: 1000 });
  });

  it('refuses a terminal socket without auth (401) or from a foreign Origin (403)', async () => {
    const t = await h.api<Terminal>('POST', '/api/term/terminals', {});
    const url = `/api/term/terminals/${t.body.id}/ws`;
    await expect(openWs(url, { authorization: '' })).rejects.toThrow('HTTP 401');
    await expect(openWs(url, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('starts booterm again after it crashes', async () => {
    const first = services.child('booterm')!;
    const exited = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await exited;
    await services.ready();
    expect(services.child('booterm')!.pid).not.toBe(first.pid);
    expect(log.join('')).toMatch(/\[booterm\] exited \(SIGKILL\); starting it again/);
    const list = await h.api<TerminalList>('GET', '/api/term/terminals');
    expect(list.status).toBe(200);
  });
});

describe('behind an auth proxy (AUTH_MODE=proxy)', () => {
  let p: Harness;
  let proxied: Services;
  const proxiedSocket = `server-test-proxy-${process.pid}`;
  beforeAll(async () => {
    const port = await freePort();
    p = await startHarness(
      {
        AUTH_MODE: 'proxy',
        TRUSTED_PROXIES: '127.0.0.1',
        AUTH_PROXY_USERS: 'alice',
        BOOTERM_PORT: String(port),
      },
      { db, model, serviceToken: TOKEN },
    );
    // booterm trusts no peer address of this test: only the server's service token gets in.
    proxied = startBooterm(p, port, proxiedSocket, {
      AUTH_MODE: 'proxy',
      TRUSTED_PROXIES: '10.9.9.9',
      AUTH_PROXY_USERS: 'alice',
    });
    await proxied.ready();
  }, 120_000);
  afterAll(async () => {
    await proxied?.stop();
    await killTmux(proxiedSocket);
    await p?.close();
  });

  it("vouches for the proxy's user to booterm, over HTTP and on a socket", async () => {
    const user = { 'remote-user': 'alice', origin: p.origin };
    const created = await fetch(`${p.base}/api/term/terminals`, {
      method: 'POST',
      headers: { ...user, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    const t = (await created.json()) as Terminal;
    // The browser's own Authorization is not what booterm sees: the server's token is.
    const c = await openWs(
      `/api/term/terminals/${t.id}/ws`,
      { ...user, authorization: 'Bearer not-the-token' },
      p,
    );
    c.type('echo proxied-$((40+2))');
    await c.waitForText('proxied-42');
    await c.close();
  });
});

describe('a service that is not running', () => {
  it('gives 502 upstream_unavailable over HTTP and on a socket', async () => {
    const dead = await startHarness(
      { BOOTERM_PORT: String(await freePort()), CODER_PORT: String(await freePort()) },
      { db, model },
    );
    try {
      const res = await dead.api('GET', '/api/term/terminals');
      expect(res).toEqual({
        status: 502,
        body: { code: 'upstream_unavailable', message: 'BooTerm is not running.' },
      });
      const coder = await dead.api('GET', '/api/coder/anything');
      expect(coder.body).toMatchObject({ code: 'upstream_unavailable' });
      await expect(openWs('/api/term/terminals/x/ws', {}, dead)).rejects.toThrow('HTTP 502');
    } finally {
      await dead.close();
    }
  });
});

describe('a socket to a service that does not switch protocols', () => {
  it("passes the service's answer on, and no byte of the browser's after it", async () => {
    // Whatever holds the service's port: it answers the upgrade with a plain 200 and keeps
    // listening, recording all it gets.
    const { createServer, connect } = await import('node:net');
    let received = '';
    const squatter = createServer((s) => {
      s.on('data', (d: Buffer) => {
        received += d.toString('latin1');
        if (received.includes('\r\n\r\n') && !s.writableEnded && received.indexOf('GET') === 0) {
          s.write('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok');
        }
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    const p = await startHarness({ BOOTERM_PORT: String(port) }, { db, model });
    try {
      const client = connect(Number(new URL(p.base).port), '127.0.0.1');
      let answer = '';
      client.on('data', (d: Buffer) => {
        answer += d.toString('latin1');
        // The browser (or a page of an attacker's) goes on as if the socket were open.
        if (answer.endsWith('ok')) client.write('GET /api/term/terminals HTTP/1.1\r\n\r\n');
      });
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.write(
        [
          'GET /api/term/terminals/x/ws HTTP/1.1',
          `Host: 127.0.0.1:${new URL(p.base).port}`,
          `Origin: ${p.origin}`,
          `Authorization: Bearer ${TOKEN}`,
          'Connection: Upgrade',
          'Upgrade: websocket',
          'Sec-WebSocket-Version: 13',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          '',
          '',
        ].join('\r\n'),
      );
      await closed;
      expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nok$/);
      expect(received.match(/^GET /gm)).toHaveLength(1);
    } finally {
      await p.close();
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});

describe('shutting down', () => {
  it('cuts a joined socket still open rather than waiting for its page to go', async () => {
    const port = await freePort();
    const p = await startHarness({ BOOTERM_PORT: String(port) }, { db, model });
    const tmuxSocket = `${socket}-shutdown`;
    const own = startBooterm(p, port, tmuxSocket, {});
    try {
      await own.ready();
      const t = await p.api<Terminal>('POST', '/api/term/terminals', {});
      const c = await openWs(`/api/term/terminals/${t.body.id}/ws`, {}, p);
      c.type('echo joined-$((40+2))');
      await c.waitForText('joined-42');
      await p.close();
      await c.closed;
    } finally {
      await own.stop();
      await killTmux(tmuxSocket);
    }
  });
});
