import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BOOCODE_VERSION } from '@boocode/protocol';

const fixture = path.join(import.meta.dirname, 'fixtures/demo-service.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: path.join(import.meta.dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => resolve(code)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function waitFor(read: () => string, re: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = read().match(re);
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no ${re} in: ${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runService', () => {
  it('exits 1 with one line naming the bad variable', async () => {
    const run = start({ DEMO_PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/^demo: bad configuration: DEMO_PORT: .*"eighty"\)\n$/);
    expect(run.stdout()).toBe('');
  });

  it('does not echo the value of a secret variable', async () => {
    const run = start({ DEMO_SECRET: 'short' });
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toMatch(/^demo: bad configuration: DEMO_SECRET: [^\n]*\n$/);
    expect(run.stderr()).not.toContain('short');
  });

  it('listens, answers health, and shuts down on SIGTERM', async () => {
    const run = start({ DEMO_PORT: '0' });
    const [, port] = await waitFor(run.stdout, /demo is running on port (\d+)\n/);
    const body = await new Promise<string>((resolve, reject) => {
      get(`http://127.0.0.1:${port}/api/health`, { headers: { host: '127.0.0.1:9500' } }, (res) => {
        let s = '';
        res.setEncoding('utf8').on('data', (c: string) => (s += c));
        res.on('end', () => resolve(s));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ ok: true, service: 'coder', version: BOOCODE_VERSION });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toContain('SIGTERM: shutting down (nothing keeps running)');
    expect(run.stdout()).toContain('released\n');
  });
});
