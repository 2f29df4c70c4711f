import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, usageError } from '../errors.ts';
import type { Context } from '../output.ts';
import { DEFAULT_ENV_FILE } from './env-file.ts';
import { defaultUnitDir, renderUnit, UNIT_NAME, UNSAFE_IN_UNIT, type UnitSpec } from './unit.ts';

/** The command line of `boocode install-service`, as commander hands it over. */
export interface InstallOptions {
  system?: boolean;
  user?: boolean;
  write?: boolean;
  force?: boolean;
  unitDir?: string;
  runAs?: string;
  home?: string;
  envFile?: string;
  node?: string;
  writable?: string[];
  sandbox: boolean;
}

const REPO = fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');

type Account = UnitSpec['user'] & { gid: number };

function account(name: string | undefined): Account {
  const me = os.userInfo();
  if (!name || name === me.username)
    return { name: me.username, uid: me.uid, gid: me.gid, home: me.homedir };
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim();
  } catch {
    throw usageError(`--run-as: there is no user ${name} on this machine`);
  }
  const [, , uid, gid, , home] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
}

/** Absolute, and free of what systemd would read differently. */
function unitPath(what: string, p: string): string {
  const abs = path.resolve(p);
  if (UNSAFE_IN_UNIT.test(abs))
    throw usageError(`${what} ${abs}: a path with % $ quotes or backslashes cannot go in a unit`);
  return abs;
}

/** What the unit will say, from the options and this machine. */
export function unitSpec(o: InstallOptions, env: NodeJS.ProcessEnv = process.env): UnitSpec {
  if (o.system && o.user) throw usageError('choose one of --user and --system');
  const scope = o.system ? 'system' : 'user';
  if (o.runAs && scope === 'user') throw usageError('--run-as goes with --system');
  // Under sudo the unit is for the user who asked, not root.
  const user = account(o.runAs ?? (scope === 'system' ? env.SUDO_USER : undefined));
  const me = user.uid === os.userInfo().uid;
  const boocodeHome = unitPath(
    '--home',
    o.home ?? (me && env.BOOCODE_HOME ? env.BOOCODE_HOME : path.join(user.home, '.boocode')),
  );
  const node = unitPath('--node', o.node ?? process.execPath);
  try {
    accessSync(node, constants.X_OK);
  } catch {
    throw usageError(`--node ${node}: not an executable file`);
  }
  const nodeDir = path.dirname(node);
  // The server's PATH is this shell's (agent CLIs in ~/.local/bin and the like), node's first.
  const dirs = [nodeDir, ...(env.PATH ?? '').split(':'), '/usr/local/bin', '/usr/bin', '/bin'];
  const projects = (env.BOOCODE_PROJECTS ?? '').split(':').filter((p) => p.startsWith('/'));
  return {
    scope,
    node,
    repo: unitPath('the clone', REPO),
    user: { name: user.name, uid: user.uid, home: unitPath('the home', user.home) },
    boocodeHome,
    envFile: unitPath('--env-file', o.envFile ?? path.join(boocodeHome, 'boocode.env')),
    path: [...new Set(dirs.filter((d) => d.startsWith('/') && !UNSAFE_IN_UNIT.test(d)))],
    writable: [...(o.writable ?? []), ...projects].map((p) => unitPath('--writable', p)),
    sandbox: o.sandbox,
  };
}

function nextSteps(spec: UnitSpec, unitFile: string, written: boolean): string {
  const ctl = spec.scope === 'user' ? 'systemctl --user' : 'sudo systemctl';
  const journal = spec.scope === 'user' ? 'journalctl --user -u boocode' : 'journalctl -u boocode';
  const lines = written
    ? [`Wrote ${unitFile}. Next:`]
    : [`This unit goes in ${unitFile}: run again with --write to put it there. Then:`];
  lines.push(`  ${ctl} daemon-reload`, `  ${ctl} enable --now boocode`);
  if (spec.scope === 'user')
    lines.push(`  loginctl enable-linger ${spec.user.name}   # run at boot, and after you log out`);
  lines.push(
    `  ${journal} -f   # its log`,
    `  (cd ${spec.repo} && npx -y pnpm@10 exec boocode url)   # the address to open, with the token`,
    `Settings: ${spec.envFile}. The token: ${path.join(spec.boocodeHome, 'token')}.`,
    `After updating the clone, \`${ctl} restart boocode\` installs and builds what changed.`,
  );
  return `${lines.join('\n')}\n`;
}

/** `boocode install-service`: prints the unit, or writes it with its environment file. */
export async function installService(ctx: Context, o: InstallOptions): Promise<void> {
  const spec = unitSpec(o);
  const home = spec.scope === 'user' ? spec.user.home : '/';
  const dir = o.unitDir
    ? path.resolve(o.unitDir)
    : defaultUnitDir(spec.scope, home, process.env.XDG_CONFIG_HOME);
  const unitFile = path.join(dir, UNIT_NAME);
  const unit = renderUnit(spec);
  if (!o.write) {
    ctx.out(unit);
    ctx.err(nextSteps(spec, unitFile, false));
    return;
  }
  if (existsSync(unitFile) && !o.force)
    throw new CliError(`${unitFile} exists: add --force to replace it`);
  await mkdir(dir, { recursive: true });
  if (!existsSync(spec.envFile)) await writeEnvFile(spec);
  else ctx.err(`Kept ${spec.envFile} as it is.\n`);
  await writeFile(unitFile, unit, { mode: 0o644 });
  ctx.out(nextSteps(spec, unitFile, true));
}

/** The commented defaults, 0600 (it will hold keys), owned by the unit's user. */
async function writeEnvFile(spec: UnitSpec): Promise<void> {
  const envDir = path.dirname(spec.envFile);
  const madeDir = !existsSync(envDir);
  await mkdir(envDir, { recursive: true, mode: 0o700 });
  await writeFile(spec.envFile, DEFAULT_ENV_FILE, { mode: 0o600, flag: 'wx' });
  // root writing a system unit for someone else: the files are theirs to edit.
  const { gid } = account(spec.user.name);
  if (process.getuid?.() === 0 && spec.user.uid !== 0) {
    if (madeDir) await chown(envDir, spec.user.uid, gid);
    await chown(spec.envFile, spec.user.uid, gid);
  }
}
