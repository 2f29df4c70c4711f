import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { followToken, loadOrCreateToken, rotateToken } from '../src/token.ts';

const homes: string[] = [];
afterAll(async () => {
  for (const h of homes) await rm(h, { recursive: true, force: true });
});

async function home(): Promise<string> {
  const h = await mkdtemp(path.join(os.tmpdir(), 'boocode-token-'));
  homes.push(h);
  return path.join(h, 'home');
}

describe('the token', () => {
  it('is one token for every process that asks at once on a first start', async () => {
    const h = await home();
    const tokens = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateToken(h)));
    expect(new Set(tokens).size).toBe(1);
    expect((await readFile(path.join(h, 'token'), 'utf8')).trim()).toBe(tokens[0]);
    expect((await stat(path.join(h, 'token'))).mode & 0o777).toBe(0o600);
  });

  it('is kept across starts', async () => {
    const h = await home();
    expect(await loadOrCreateToken(h)).toBe(await loadOrCreateToken(h));
  });
});

describe('a service following the token file', () => {
  it('takes the new token once the server replaces it, and keeps the last one if the file goes', async () => {
    const h = await home();
    const first = await loadOrCreateToken(h);
    const token = followToken(h, first);
    expect(token()).toBe(first);
    const second = await rotateToken(h);
    expect(token()).toBe(second);
    await rm(path.join(h, 'token'));
    expect(token()).toBe(second);
  });
});
