import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { BUILTIN_PROVIDERS } from '@boocode/protocol';
import { fakeAcpAgent } from '@boocode/testkit';
import { probeAcp } from '../../src/agents/acp/probe.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';

let home: string;
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Alive and not a zombie (nothing here reaps an orphan at once). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

test('stop cuts the start-up probe that is running: its agent is killed and nothing recorded', async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-registry-stop-'));
  const pidFile = path.join(home, 'pids');
  const hang = fakeAcpAgent('hang', pidFile);
  const off = Object.fromEntries(BUILTIN_PROVIDERS.map((id) => [id, { enabled: false }]));
  await writeFile(
    path.join(home, 'coder-providers.json'),
    JSON.stringify({
      providers: {
        ...off,
        hangs: {
          label: 'Hangs',
          command: hang.command,
          args: hang.args,
          env: hang.env,
          ownConfig: true,
        },
      },
    }),
  );
  const registry = new ProviderRegistry({
    home,
    endpoint: {
      baseUrl: 'http://127.0.0.1:9/v1',
      apiKey: null,
      anthropicBaseUrl: null,
      anthropicApiKey: null,
    },
    probe: { acp: probeAcp },
    probeTimeoutMs: 120_000,
  });
  await registry.start();
  await expect.poll(() => existsSync(pidFile), { timeout: 20_000 }).toBe(true);
  await expect.poll(async () => (await readFile(pidFile, 'utf8')).trim().split(' ').length).toBe(2);
  const pids = (await readFile(pidFile, 'utf8')).trim().split(' ').map(Number);

  await registry.stop();
  expect(pids.filter(alive)).toEqual([]);
  const probes = path.join(home, 'coder-probes.json');
  const recorded = existsSync(probes) ? await readFile(probes, 'utf8') : '';
  expect(recorded).not.toContain('hangs');
});
