import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderUnit, type UnitSpec } from '../../src/service/unit.ts';

const repo = path.resolve(import.meta.dirname, '../../../..');
const spec = (over: Partial<UnitSpec> = {}): UnitSpec => ({
  scope: 'system',
  node: process.execPath,
  repo,
  user: { name: 'alice', uid: 1000, home: '/home/alice' },
  boocodeHome: '/home/alice/.boocode',
  envFile: '/home/alice/.boocode/boocode.env',
  path: ['/usr/local/bin', '/usr/bin', '/bin'],
  writable: [],
  sandbox: true,
  ...over,
});
/** The directives, without comments: `Key=value` lines. */
const directives = (unit: string) => unit.split('\n').filter((l) => /^[A-Z]\w*=/.test(l));
const value = (unit: string, key: string) =>
  directives(unit)
    .filter((l) => l.startsWith(`${key}=`))
    .map((l) => l.slice(key.length + 1));

describe('the unit', () => {
  test('runs scripts/start.mjs of the clone with the absolute node, from the clone', () => {
    const unit = renderUnit(spec());
    expect(value(unit, 'ExecStart')).toEqual([`${process.execPath} ${repo}/scripts/start.mjs`]);
    expect(value(unit, 'WorkingDirectory')).toEqual([repo]);
    expect(value(unit, 'Restart')).toEqual(['on-failure']);
    expect(value(unit, 'EnvironmentFile')).toEqual(['/home/alice/.boocode/boocode.env']);
    expect(value(unit, 'Environment')).toContain('BOOCODE_HOME=/home/alice/.boocode');
  });

  test('a system unit names its user; a user unit does not, and wants default.target', () => {
    expect(value(renderUnit(spec()), 'User')).toEqual(['alice']);
    expect(value(renderUnit(spec()), 'WantedBy')).toEqual(['multi-user.target']);
    const user = renderUnit(spec({ scope: 'user' }));
    expect(value(user, 'User')).toEqual([]);
    expect(value(user, 'WantedBy')).toEqual(['default.target']);
  });

  test('tmux outlives a restart: only the server is signalled, /tmp is shared', () => {
    const unit = renderUnit(spec());
    expect(value(unit, 'KillMode')).toEqual(['process']);
    expect(value(unit, 'PrivateTmp')).toEqual(['no']);
  });

  test('a system unit makes the system read-only but the home, BOOCODE_HOME, /tmp and projects', () => {
    const unit = renderUnit(
      spec({ boocodeHome: '/srv/boocode', writable: ['/srv/code/app', '/home/alice/code'] }),
    );
    expect(value(unit, 'NoNewPrivileges')).toEqual(['yes']);
    expect(value(unit, 'ProtectSystem')).toEqual(['strict']);
    const rw = value(unit, 'ReadWritePaths')[0]!.split(' ');
    // Folders that may be missing carry `-`, else systemd would refuse to start.
    expect(rw).toEqual([
      '/home/alice',
      '/srv/boocode',
      '-/tmp',
      '-/var/tmp',
      '-/run/user/1000',
      '-/srv/code/app',
    ]);
  });

  test('as root, the embedded PostgreSQL folder /var/lib/boocode is writable too', () => {
    const unit = renderUnit(spec({ user: { name: 'root', uid: 0, home: '/root' } }));
    expect(value(unit, 'ReadWritePaths')[0]).toContain('-/var/lib/boocode');
  });

  test('a user unit has no file-system sandbox (it would need a user namespace)', () => {
    const unit = renderUnit(spec({ scope: 'user' }));
    expect(value(unit, 'NoNewPrivileges')).toEqual(['yes']);
    expect(value(unit, 'ProtectSystem')).toEqual([]);
    expect(value(unit, 'ReadWritePaths')).toEqual([]);
  });

  test('--no-sandbox leaves out every sandboxing option', () => {
    const unit = renderUnit(spec({ sandbox: false }));
    for (const key of ['NoNewPrivileges', 'ProtectSystem', 'ReadWritePaths', 'RestrictSUIDSGID'])
      expect(value(unit, key)).toEqual([]);
  });

  test('paths with spaces are quoted', () => {
    const unit = renderUnit(spec({ boocodeHome: '/home/alice/boo code' }));
    expect(value(unit, 'Environment')).toContain('"BOOCODE_HOME=/home/alice/boo code"');
  });
});

// systemd-analyze verify loads the unit the way systemd would. It exits 0 even on an unknown
// directive or a bad value (it logs "Unknown key ..., ignoring"), so anything on its stderr
// fails the test; the last test shows that this catches a real mistake.
const analyze = existsSync('/usr/bin/systemd-analyze') ? '/usr/bin/systemd-analyze' : null;
describe.skipIf(!analyze)('systemd-analyze verify', () => {
  let dir: string;
  beforeAll(async () => {
    if (!analyze) return;
    dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-unit-'));
    // A user manager needs a runtime folder; a container has none of its own.
    await mkdir(path.join(dir, 'run'), { mode: 0o700 });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function verify(unit: string, scope: UnitSpec['scope']) {
    const sub = path.join(dir, scope);
    await mkdir(sub, { recursive: true });
    const file = path.join(sub, 'boocode.service');
    await writeFile(file, unit);
    const args = [...(scope === 'user' ? ['--user'] : []), 'verify', '--man=no', file];
    return new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        analyze!,
        args,
        { env: { ...process.env, XDG_RUNTIME_DIR: path.join(dir, 'run') } },
        (err, _out, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
      ),
    );
  }

  test.each(['system', 'user'] as const)('the %s unit passes without a warning', async (scope) => {
    const user = os.userInfo();
    const unit = renderUnit(
      spec({ scope, user: { name: user.username, uid: user.uid, home: user.homedir } }),
    );
    expect(await verify(unit, scope)).toEqual({ code: 0, stderr: '' });
  });

  test('an unknown directive is caught', async () => {
    const unit = renderUnit(spec()).replace('KillMode=process', 'KillMode=process\nKilMode=mixed');
    const r = await verify(unit, 'system');
    expect(r.stderr).toContain("Unknown key 'KilMode'");
  });
});
