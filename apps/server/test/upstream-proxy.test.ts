import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Terminal, TerminalList } from '@boocode/protocol';
import { freePort, startModelServer, type ModelServer, type TestDatabase } from '@boocode/testkit';
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
  const port = new URL(h.base).port;
  const out = { write: (s: string) => log.push(s) } as unknown as NodeJS.WritableStream;
  services = startServices(
    [
      {
        name: 'booterm',
        dir: bootermDir,
        healthUrl: `http://127.0.0.1:${bootermPort}/api/health`,
        env: {
          DATABASE_URL: db.url,
          BOOCODE_HOME: home,
          PORT: port,
          BOOTERM_PORT: String(bootermPort),
          BOOTERM_TMUX_SOCKET: socket,
          BOOTERM_SHELL: '/bin/bash --noprofile --norc',
          LOG_LEVEL: 'warn',
        },
      },
    ],
    out,
    { firstMs: 100, maxMs: 400, stableMs: 60_000 },
  );
  await services.ready();
}, 120_000);

afterAll(async () => {
  await services?.stop();
  const { execFileSync } = await import('node:child_process');
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // no server left
  }
  await rm(path.join('/tmp', `tmux-${process.getuid?.()}`, socket), { force: true });
  await h?.close();
  await model?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

function openWs(
  p: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; text: () => string }> {
  const ws = new WebSocket(`${h.base.replace('http', 'ws')}${p}`, {
    headers: { authorization: `Bearer ${TOKEN}`, origin: h.origin, ...headers },
  });
  const chunks: Buffer[] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) return;
    chunks.push(data);
    ws.send(JSON.stringify({ type: 'terminal.ack', bytes: data.length }));
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, text: () => Buffer.concat(chunks).toString('utf8') }));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
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
    const { ws, text } = await openWs(`/api/term/terminals/${t.body.id}/ws?cols=90&rows=20`);
    ws.send(JSON.stringify({ type: 'terminal.input', data: 'echo via-$((20+3))\r' }));
    await new Promise<void>((resolve) => {
      const check = () => text().includes('via-23') && (ws.off('message', check), resolve());
      ws.on('message', check);
    });
    ws.close();
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
      const ws = new WebSocket(`${dead.base.replace('http', 'ws')}/api/term/terminals/x/ws`, {
        headers: { authorization: `Bearer ${TOKEN}`, origin: dead.origin },
      });
      const status = await new Promise<number>((resolve) =>
        ws.once('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0)),
      );
      expect(status).toBe(502);
    } finally {
      await dead.close();
    }
  });
});
