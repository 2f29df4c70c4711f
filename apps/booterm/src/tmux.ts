import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * tmux settings (notes/terminal.md section 6): the web page owns the chrome (no status bar),
 * Esc is not delayed, xterm.js stays in the normal screen so that it owns the scrollback
 * (smcup@/rmcup@), and lines that scroll by in a burst are sent as newlines rather than one
 * "scroll up N" (indn@), which xterm.js would drop instead of keeping as scrollback; copy in
 * tmux reaches the browser as OSC 52, the newest client's size wins.
 */
const CONF = `# Written by booterm at start; edits are overwritten.
set -g status off
set -g escape-time 0
set -g history-limit 50000
set -g default-terminal tmux-256color
set -ga terminal-overrides ',xterm*:smcup@:rmcup@:indn@'
set -ga terminal-overrides ',xterm*:Tc'
set -g set-clipboard on
set -g mouse off
set -g focus-events on
setw -g window-size latest
`;

/** Variables of booterm's own that a user's shell must not inherit. */
const PRIVATE_ENV =
  /^(DATABASE_URL|LLM_API_KEY|LLM_BASE_URL|LLAMA_SWAP_URL|TMUX|TMUX_PANE|BOOTERM_\w*|BOOCODE_PG_PORT|AUTH_MODE|AUTH_PROXY_HEADER|TRUSTED_PROXIES|ALLOWED_ORIGINS|LOG_LEVEL|PORT|HOST|NODE_OPTIONS|npm_\w*|PNPM_\w*|VITEST\w*)$/;

/** The environment tmux (and so every shell in it) starts with. */
export function terminalEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && !PRIVATE_ENV.test(k)) out[k] = v;
  out.TERM = 'xterm-256color';
  out.COLORTERM = 'truecolor';
  // tmux replaces non-ASCII with '_' for a client whose locale is not UTF-8.
  const locale = out.LC_ALL || out.LC_CTYPE || out.LANG || '';
  if (!/utf-?8/i.test(locale)) out.LANG = 'C.UTF-8';
  return out;
}

export interface NewSession {
  cwd: string;
  cols: number;
  rows: number;
  /** argv run in the session; null: the login shell. */
  command: string[] | null;
}

/** One tmux server on a private socket (`tmux -L name`), one session per terminal. */
export class Tmux {
  readonly conf: string;
  readonly env: Record<string, string>;

  constructor(
    readonly socket: string,
    home: string,
  ) {
    this.conf = path.join(home, 'tmux.conf');
    this.env = terminalEnv();
  }

  async writeConf(): Promise<void> {
    await mkdir(path.dirname(this.conf), { recursive: true, mode: 0o700 });
    await writeFile(this.conf, CONF, { mode: 0o600 });
  }

  /** argv (after `tmux`) that every invocation starts with. */
  private base(): string[] {
    return ['-u', '-L', this.socket, '-f', this.conf];
  }

  private run(args: string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'tmux',
        [...this.base(), ...args],
        { env: this.env, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
        (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`tmux ${args[0]}: ${stderr.toString().trim() || err.message}`));
          } else resolve(stdout);
        },
      );
    });
  }

  /** Starts a detached session named `name` at the given size. */
  async newSession(name: string, s: NewSession): Promise<void> {
    await this.run([
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(s.cols),
      '-y',
      String(s.rows),
      '-c',
      s.cwd,
      ...(s.command ?? []),
    ]);
  }

  /**
   * argv for a client that attaches to `name`; its size is its pty's. It never makes the
   * session: one killed or ended a moment ago stays gone, and the client exits at once.
   */
  attachArgs(name: string): string[] {
    return [...this.base(), 'attach-session', '-t', `=${name}`];
  }

  async hasSession(name: string): Promise<boolean> {
    try {
      await this.run(['has-session', '-t', `=${name}`]);
      return true;
    } catch {
      return false;
    }
  }

  /** Names of the live sessions; none when the tmux server is not running. */
  async listSessions(): Promise<Set<string>> {
    try {
      const out = await this.run(['list-sessions', '-F', '#{session_name}']);
      return new Set(out.toString().split('\n').filter(Boolean));
    } catch {
      return new Set();
    }
  }

  /** Lines in the session's scrollback now; null when the session does not exist. */
  async historySize(name: string): Promise<number | null> {
    const out = await this.run(['display-message', '-p', '-t', `=${name}:`, '#{history_size}'])
      .then((b) => Number(b.toString()))
      .catch(() => null);
    return out === null || Number.isNaN(out) ? null : out;
  }

  async killSession(name: string): Promise<void> {
    await this.run(['kill-session', '-t', `=${name}`]).catch(() => {});
  }

  /**
   * The scrollback above the screen (at most `lines` lines, colours kept, wrapped lines
   * joined) as raw bytes with `\n` line ends, empty when there is none, and how many lines
   * tmux holds in all; null when the session does not exist (one tmux call answers both: it
   * is on every reattach's path). `redrawClient` (a client's tty) then repaints its screen.
   */
  async history(
    name: string,
    lines: number,
    redrawClient?: string,
  ): Promise<{ bytes: Buffer; size: number } | null> {
    const target = `=${name}:`;
    // One tmux command, so nothing scrolls between the answers (nor before the redraw).
    const out = await this.run([
      'display-message',
      '-p',
      '-t',
      target,
      '#{history_size}',
      ';',
      'capture-pane',
      '-p',
      '-e',
      '-J',
      '-S',
      String(-Math.max(1, lines)),
      '-E',
      '-1',
      '-t',
      target,
      ...(redrawClient ? [';', 'refresh-client', '-t', redrawClient] : []),
    ]).catch(() => null);
    if (!out) return null;
    const nl = out.indexOf(0x0a);
    const size = nl < 0 ? 0 : Number(out.subarray(0, nl).toString()) || 0;
    // With no history, `-E -1` would give the screen's first line: it would be doubled.
    if (lines <= 0 || size === 0) return { bytes: Buffer.alloc(0), size };
    return { bytes: out.subarray(nl + 1), size };
  }

  async killServer(): Promise<void> {
    await this.run(['kill-server']).catch(() => {});
  }
}
