import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, TOKEN, type Harness } from './helpers.ts';

let h: Harness;
let dist: string;
beforeAll(async () => {
  dist = await mkdtemp(path.join(os.tmpdir(), 'boocode-web-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>boocode</title>');
  await writeFile(path.join(dist, 'assets', 'index-AbC123.js'), 'export {};');
  h = await startHarness({ BOOCODE_WEB_DIST: dist });
});
afterAll(async () => {
  await h.close();
  await rm(dist, { recursive: true, force: true });
});

describe('the web app files', () => {
  it('keeps hashed build files for good', async () => {
    const res = await fetch(`${h.base}/assets/index-AbC123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('has the page asked for again on every load, at / and at a chat address', async () => {
    for (const url of ['/', '/c/00000000-0000-4000-8000-000000000000']) {
      const res = await fetch(h.base + url);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>boocode</title>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves a build made while the server runs, and answers 404 for a build file not there', async () => {
    await writeFile(path.join(dist, 'assets', 'index-New456.js'), 'export const v = 2;');
    const fresh = await fetch(`${h.base}/assets/index-New456.js`);
    expect(fresh.status).toBe(200);
    expect(await fresh.text()).toBe('export const v = 2;');
    const missing = await fetch(`${h.base}/assets/index-Gone789.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
  });
});

describe('Content-Security-Policy', () => {
  const policy = (res: Response) =>
    new Map(
      (res.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values.join(' ')]),
    );

  it('keeps the page from loading or sending anything off the origin', async () => {
    for (const url of ['/', '/assets/index-AbC123.js', '/api/health']) {
      const csp = policy(await fetch(h.base + url));
      expect(csp.get('default-src'), url).toBe("'self'");
      expect(csp.get('img-src'), url).toBe("'self' data: blob:");
      expect(csp.get('connect-src'), url).toBe("'self'");
      expect(csp.get('script-src'), url).toBe("'self'");
    }
  });

  it('serves the artifact page with no network, unless asked for that artifact', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const res = await fetch(`${h.base}/api/artifact-frame`, { headers });
    expect(res.status).toBe(200);
    const csp = policy(res);
    expect(csp.get('default-src')).toBe("'none'");
    expect(csp.get('connect-src')).toBeUndefined();
    expect(csp.get('img-src')).toBe('data: blob:');
    expect(csp.get('sandbox')).toBe('allow-scripts');
    expect(await res.text()).toContain('boocode:artifact-ready');
    const online = policy(await fetch(`${h.base}/api/artifact-frame?net=1`, { headers }));
    expect(online.get('default-src')).toContain('*');
    expect(online.get('sandbox')).toBe('allow-scripts');
    expect((await h.api('GET', '/api/artifact-frame?net=yes')).status).toBe(400);
    expect((await fetch(`${h.base}/api/artifact-frame`)).status).toBe(401);
  });
});
