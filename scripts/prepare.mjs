// Makes a checkout ready to run: system packages (Debian, as root), the locked
// dependencies, and a fresh build of the web app. Plain Node: it runs before
// node_modules exists. Usage: node scripts/prepare.mjs [--system=run|test]
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stdout.write(`boocode: ${m}\n`);

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  say(`Node ${process.versions.node} is too old: boocode needs Node 20.19 or newer.`);
  process.exit(1);
}

/** What each use needs from the system: command -> Debian package. */
// node-pty is built from source at install: it needs a compiler and python.
const build = { python3: 'python3', make: 'make', 'g++': 'g++' };
const needs = {
  // rg: the chat's search tool; ssh: terminals on SSH hosts.
  run: { git: 'git', rg: 'ripgrep', tmux: 'tmux', ssh: 'openssh-client', ...build },
  test: {
    git: 'git',
    rg: 'ripgrep',
    tmux: 'tmux',
    chromium: 'chromium',
    sshd: 'openssh-server',
    // install-service's units are checked with systemd-analyze verify.
    'systemd-analyze': 'systemd',
    // compose.yaml's tests: `docker-compose config`.
    'docker-compose': 'docker-compose',
    // Not caddy and nginx (the proxy tests, skipped without them): their packages start the
    // system's own server on port 80. .ci/run installs them with that held off.
    ...build,
  },
};
const mode = process.argv.find((a) => a.startsWith('--system='))?.slice(9) ?? 'run';
// An executable on PATH, as `command -v` finds it, without a shell per command (a warm start
// runs this check every time).
const has = (cmd) =>
  (process.env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir || '.', cmd), constants.X_OK);
      return statSync(path.join(dir || '.', cmd)).isFile();
    } catch {
      return false;
    }
  });
const missing = Object.entries(needs[mode] ?? {}).filter(([cmd]) => !has(cmd));
if (missing.length) {
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  if (process.getuid?.() === 0 && has('apt-get')) {
    say(`installing ${pkgs.join(', ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env,
    });
  } else {
    say(
      `missing system packages: ${pkgs.join(' ')}. Install them (Debian: sudo apt-get install ${pkgs.join(' ')}) and run again.`,
    );
    process.exit(1);
  }
}

// The pnpm that started us (`pnpm start`), else one on PATH, else the project's own version
// through the npx beside this node: `node scripts/start.mjs` and the systemd unit run without
// pnpm, and a pull that changes the lockfile or the web app still has to install or build.
const npx = path.join(path.dirname(process.execPath), 'npx');
const pnpmVersion = JSON.parse(
  readFileSync(path.join(root, 'package.json'), 'utf8'),
).packageManager?.replace(/^pnpm@/, '');
const pnpm =
  process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)
    ? [process.execPath, process.env.npm_execpath]
    : has('pnpm')
      ? ['pnpm']
      : [existsSync(npx) ? npx : 'npx', '-y', `pnpm@${pnpmVersion ?? '10'}`];
const run = (args) =>
  execFileSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, stdio: 'inherit' });

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const newest = (dir) => {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

if (
  mtime(path.join(root, 'node_modules/.modules.yaml')) < mtime(path.join(root, 'pnpm-lock.yaml'))
) {
  say('installing dependencies');
  // Build native addons against the installed Node's headers: nothing is downloaded.
  if (!process.env.npm_config_nodedir && existsSync('/usr/include/node/node.h'))
    process.env.npm_config_nodedir = '/usr';
  run(['install', '--frozen-lockfile']);
}

const built = path.join(root, 'apps/web/dist/index.html');
const sources = ['apps/web', 'packages/ui/src', 'packages/protocol/src'].map((d) =>
  newest(path.join(root, d)),
);
if (mtime(built) < Math.max(...sources)) {
  say('building the web app');
  run(['--filter', '@boocode/web', 'build']);
}
