import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_ENV_FILE } from '../../src/service/env-file.ts';
import { boocode } from '../harness.ts';

let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-install-'));
  env = { BOOCODE_HOME: path.join(dir, 'home') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const repo = path.resolve(import.meta.dirname, '../../../..');

describe('boocode install-service', () => {
  test('--help lists its options and exits 0', async () => {
    const r = await boocode(['install-service', '--help'], env);
    expect(r.code).toBe(0);
    for (const o of ['--user', '--system', '--write', '--force', '--unit-dir', '--no-sandbox'])
      expect(r.stdout).toContain(o);
  });

  test('prints a user unit on stdout, the next steps on stderr, and writes nothing', async () => {
    const r = await boocode(['install-service'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ExecStart=${process.execPath} ${repo}/scripts/start.mjs`);
    expect(r.stdout).toContain(`EnvironmentFile=${env.BOOCODE_HOME}/boocode.env`);
    expect(r.stdout).toContain('WantedBy=default.target');
    expect(r.stderr).toContain('systemctl --user enable --now boocode');
    await expect(stat(env.BOOCODE_HOME!)).rejects.toThrow('ENOENT');
  });

  test('--system runs as the user named by --run-as', async () => {
    const r = await boocode(
      ['install-service', '--system', '--run-as', os.userInfo().username],
      env,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`User=${os.userInfo().username}`);
    expect(r.stdout).toContain('ProtectSystem=strict');
    expect(r.stderr).toContain('sudo systemctl enable --now boocode');
  });

  test('--write puts the unit in --unit-dir and makes a commented environment file, 0600', async () => {
    const units = path.join(dir, 'units-a');
    const r = await boocode(['install-service', '--write', '--unit-dir', units], env);
    expect(r.code).toBe(0);
    const printed = await boocode(['install-service'], env);
    expect(await readFile(path.join(units, 'boocode.service'), 'utf8')).toBe(printed.stdout);
    const envFile = path.join(env.BOOCODE_HOME!, 'boocode.env');
    expect(await readFile(envFile, 'utf8')).toBe(DEFAULT_ENV_FILE);
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    expect(r.stdout).toContain(`Wrote ${units}/boocode.service`);
  });

  test('an environment file already there is kept as it is', async () => {
    const home = path.join(dir, 'home-kept');
    await mkdir(home);
    await writeFile(path.join(home, 'boocode.env'), 'PORT=9600\n');
    const units = path.join(dir, 'units-b');
    const r = await boocode(['install-service', '--write', '--unit-dir', units], {
      BOOCODE_HOME: home,
    });
    expect(r.code).toBe(0);
    expect(await readFile(path.join(home, 'boocode.env'), 'utf8')).toBe('PORT=9600\n');
    expect(r.stderr).toContain('Kept');
  });

  test('a unit already there is not replaced without --force', async () => {
    const units = path.join(dir, 'units-c');
    await mkdir(units);
    await writeFile(path.join(units, 'boocode.service'), '# mine\n');
    const refused = await boocode(['install-service', '--write', '--unit-dir', units], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('add --force');
    expect(await readFile(path.join(units, 'boocode.service'), 'utf8')).toBe('# mine\n');
    const forced = await boocode(
      ['install-service', '--write', '--force', '--unit-dir', units],
      env,
    );
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(units, 'boocode.service'), 'utf8')).toContain('ExecStart=');
  });

  test('contradicting or bad options exit 2 and write nothing', async () => {
    const units = path.join(dir, 'units-d');
    const cases = [
      ['--user', '--system'],
      ['--run-as', 'root'], // --run-as belongs to --system
      ['--system', '--run-as', 'no-such-user-here'],
      ['--home', path.join(dir, 'cost$HOME')],
      ['--node', path.join(dir, 'no-node')],
    ];
    for (const args of cases) {
      const r = await boocode(['install-service', '--write', '--unit-dir', units, ...args], env);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(/^boocode: /);
    }
    await expect(stat(units)).rejects.toThrow('ENOENT');
  });
});
