import path from 'node:path';

/** Everything a unit depends on, gathered by `install.ts`; rendering is pure. */
export interface UnitSpec {
  scope: 'user' | 'system';
  /** Absolute path of the node binary that runs boocode. */
  node: string;
  /** Absolute path of the clone (holds scripts/start.mjs). */
  repo: string;
  /** The account the server runs as (system units only have `User=`). */
  user: { name: string; uid: number; home: string };
  /** `$BOOCODE_HOME`, absolute. */
  boocodeHome: string;
  /** The `EnvironmentFile=`, absolute. */
  envFile: string;
  /** PATH for the server and everything it starts, in order. */
  path: string[];
  /** More folders the server may write (projects outside the home). */
  writable: string[];
  /** false: none of the sandboxing options (terminals that need sudo, or to write anywhere). */
  sandbox: boolean;
}

export const UNIT_NAME = 'boocode.service';

/** Where a unit of this scope goes, unless told otherwise. */
export function defaultUnitDir(scope: UnitSpec['scope'], home: string, xdgConfig?: string) {
  if (scope === 'system') return '/etc/systemd/system';
  return path.join(xdgConfig ?? path.join(home, '.config'), 'systemd', 'user');
}

/**
 * Characters a path in a unit may not hold: systemd gives `%`, `$`, quotes and backslashes
 * meanings that differ from one directive to the next. `install.ts` refuses them up front.
 */
export const UNSAFE_IN_UNIT = /[%$"'\\\p{Cc}]/u;

/** systemd splits on spaces: a value with one is quoted. */
const arg = (p: string) => (/\s/.test(p) ? `"${p}"` : p);

const inside = (dir: string, p: string) => p === dir || p.startsWith(`${dir}/`);

/** The folders the server writes, the ones that may not exist yet marked `-` (skipped then). */
function readWritePaths(s: UnitSpec): string[] {
  const must = [s.user.home];
  if (!inside(s.user.home, s.boocodeHome)) must.push(s.boocodeHome);
  const optional = ['/tmp', '/var/tmp', `/run/user/${s.user.uid}`, ...s.writable];
  // As root the embedded PostgreSQL lives in BOOCODE_SYSTEM_DIR (README: Start).
  if (s.user.uid === 0) optional.push('/var/lib/boocode');
  const extra = [...new Set(optional)].filter((p) => !must.some((m) => inside(m, p)));
  return [...must.map(arg), ...extra.map((p) => `-${arg(p)}`)];
}

const WHY_NO_PRIVATE_TMP = [
  '# PrivateTmp is off on purpose: the terminals are tmux sessions whose socket lives in',
  '# /tmp/tmux-<uid>/, and a private /tmp would hide them from `tmux -L boocode ls` in your own',
  '# shell and be deleted at each restart, taking every terminal with it.',
];

const WHY_KILL_MODE = [
  '# KillMode=process: a stop or restart signals the server alone. It stops booterm, coder,',
  '# PostgreSQL, MCP servers and agents itself; the tmux server that holds the terminals is',
  '# left running, so terminals survive a restart as they do outside systemd. (systemd may log',
  '# "left-over process (tmux)" at the next start: that is this, and harmless.) After a crash',
  '# the server clears a PostgreSQL left behind at its next start.',
];

function sandboxLines(s: UnitSpec): string[] {
  if (!s.sandbox)
    return ['# Sandboxing left out (--no-sandbox): the terminals may use sudo and write anywhere.'];
  const lines = [
    '# Sandboxing that a workspace running shells and agents can live with.',
    '# NoNewPrivileges: nothing started here gains privileges, so sudo, su and other setuid',
    '# programs do not work in the terminals (generate with --no-sandbox if you need them).',
    'NoNewPrivileges=yes',
    'RestrictSUIDSGID=yes',
    'LockPersonality=yes',
    'RestrictRealtime=yes',
  ];
  if (s.scope === 'user')
    return [
      ...lines,
      '# The file-system options (ProtectSystem=...) are not used in a user unit: there they',
      '# need an unprivileged user namespace, in which every other user (root too) would show',
      '# as nobody in the terminals, and the unit would not start on kernels without one.',
    ];
  return [
    ...lines,
    '# The system is read-only except the folders below: the home (projects, caches, agents),',
    '# $BOOCODE_HOME, /tmp (tmux sockets) and your runtime folder. Add a project kept elsewhere',
    '# with --writable, or a drop-in (systemctl edit boocode) with more ReadWritePaths=.',
    'ProtectSystem=strict',
    `ReadWritePaths=${readWritePaths(s).join(' ')}`,
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'ProtectControlGroups=yes',
    '# Not used, as they break a developer workspace: ProtectHome (the projects are there),',
    '# PrivateDevices (GPUs, serial ports), MemoryDenyWriteExecute (Node compiles to memory),',
    '# SystemCallFilter and RestrictAddressFamilies (the terminals run anything), ProtectProc.',
  ];
}

/** The unit file's text. */
export function renderUnit(s: UnitSpec): string {
  const service = [
    'Type=exec',
    ...(s.scope === 'system' ? [`User=${s.user.name}`] : []),
    `WorkingDirectory=${arg(s.repo)}`,
    `Environment=${arg(`BOOCODE_HOME=${s.boocodeHome}`)}`,
    `Environment=${arg(`PATH=${s.path.join(':')}`)}`,
    `EnvironmentFile=${arg(s.envFile)}`,
    `ExecStart=${arg(s.node)} ${arg(path.join(s.repo, 'scripts', 'start.mjs'))}`,
    'Restart=on-failure',
    'RestartSec=2s',
    'TimeoutStopSec=30s',
    ...WHY_KILL_MODE,
    'KillMode=process',
    ...WHY_NO_PRIVATE_TMP,
    'PrivateTmp=no',
    ...sandboxLines(s),
  ];
  return [
    `# boocode as a ${s.scope} service, written by \`boocode install-service --${s.scope}\`.`,
    '# Settings go in the EnvironmentFile below (one VAR=value a line; README: Configuration).',
    '# The server starts and watches booterm and coder itself: this one unit is all of boocode.',
    '[Unit]',
    'Description=boocode developer workspace',
    `Documentation=file://${encodeURI(path.join(s.repo, 'README.md'))}`,
    // A user manager has no network-online.target; a system one waits for it (a remote model).
    ...(s.scope === 'system' ? ['After=network-online.target', 'Wants=network-online.target'] : []),
    '',
    '[Service]',
    ...service,
    '',
    '[Install]',
    `WantedBy=${s.scope === 'system' ? 'multi-user.target' : 'default.target'}`,
    '',
  ].join('\n');
}
