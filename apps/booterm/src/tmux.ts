import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * tmux settings (notes/terminal.md section 6): the web page owns the chrome (no status bar),
 * Esc is not delayed, xterm.js stays in the normal screen so that it owns the scrollback
 * (smcup@/rmcup@), and lines that scroll by in a burst are sent as newlines rather than one
 * "scroll up N" (indn@), which xterm.js would drop instead of keeping as scrollback; copy in
 * tmux reaches the browser as OSC 52, the newest client's size wins.
 * A program that exits leaves its pane (remain-on-exit) with its last screen, until its
 * terminal is removed: booterm sees the pane dead (TerminalService.watch; tmux 3.3's pane-died
 * hook and exit status are missed about half the time, when the pane's end is read before the
 * process is reaped), sends its views' tmux clients away and sends what the pane showed again, as
 * a tmux client clears the screen as it goes (see Tmux.pane).
 */
const CONF = `# Written by booterm at start; edits are overwritten.
set -g status off
set -g escape-time 0
set -g history-limit 50000
set -g default-terminal tmux-256color
set -g terminal-overrides 'xterm*:smcup@:rmcup@:indn@:Tc'
set -g set-clipboard on
set -g mouse off
set -g focus-events on
setw -g window-size latest
set -g remain-on-exit on
`;

/** Variables of booterm's own that a user's shell must not inherit. */
const PRIVATE_ENV =
  /^(DATABASE_URL|LLM_API_KEY|LLM_BASE_URL|LLAMA_SWAP_URL|TMUX|TMUX_PANE|BOOTERM_\w*|BOOCODE_PG_PORT|AUTH_\w*|TRUSTED_PROXIES|ALLOWED_ORIGINS|LOG_LEVEL|PORT|HOST|NODE_OPTIONS|npm_\w*|PNPM_\w*|VITEST\w*)$/;

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

// tmux's captures colour lines with SGR sequences, which are control characters.
/* eslint-disable no-control-regex */
const BLANK_LINE = /^(\x1b\[[0-9;]*m|\s)*$/;
/** What tmux writes under the last screen of a program that exited. */
const DEAD_NOTE = /^(\x1b\[[0-9;]*m)*Pane is dead/;
/* eslint-enable no-control-regex */

/**
 * An argument tmux passes on as written: tmux reads a trailing `;` as the end of a command (the
 * rest of the argv would be run as tmux commands), and `\\;` as a literal `;`.
 */
export function literalArg(arg: string): string {
  return arg.endsWith(';') ? `${arg.slice(0, -1)}\\;` : arg;
}

export type PaneState = { state: 'running' } | { state: 'ended'; text: Buffer } | { state: 'gone' };

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

  /** Writes the settings, and applies them to a tmux server still running from before. */
  async writeConf(): Promise<void> {
    await mkdir(path.dirname(this.conf), { recursive: true, mode: 0o700 });
    await writeFile(this.conf, CONF, { mode: 0o600 });
    await this.run(['source-file', this.conf]).catch(() => {}); // no server yet: it reads them
  }

  /** argv (after `tmux`) that every invocation starts with. */
  private base(): string[] {
    return ['-u', '-L', this.socket, '-f', this.conf];
  }

  private run(args: string[], cwd?: string): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile(
        'tmux',
        [...this.base(), ...args],
        { env: this.env, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024, cwd },
        (err, stdout, stderr) => {
          if (err) {
            reject(new Error(`tmux ${args[0]}: ${stderr.toString().trim() || err.message}`));
          } else resolve(stdout);
        },
      );
    });
  }

  /**
   * Starts a detached session named `name` at the given size. The directory is the tmux
   * client's working directory, not `-c`: tmux expands formats in `-c`, and `#(cmd)` there
   * would run `cmd` for a project whose path holds it.
   */
  async newSession(name: string, s: NewSession): Promise<void> {
    const args = ['new-session', '-d', '-s', name, '-x', String(s.cols), '-y', String(s.rows)];
    await this.run([...args, ...(s.command ?? []).map(literalArg)], s.cwd);
  }

  /**
   * argv for a client that attaches to `name`; its size is its pty's. It never makes the
   * session: one killed or ended a moment ago stays gone, and the client exits at once.
   */
  attachArgs(name: string): string[] {
    return [...this.base(), 'attach-session', '-t', `=${name}`];
  }

  /**
   * The session's program: still running; ended, with all it showed (the last `lines` lines of
   * scrollback and the screen, raw bytes, `\n` line ends, trailing blank lines and tmux's own
   * "Pane is dead" line left out); or gone with its session.
   */
  async pane(name: string, lines: number): Promise<PaneState> {
    const out = await this.capture(name, '#{pane_dead}', ['-S', String(-Math.max(0, lines))]);
    if (!out) return { state: 'gone' };
    if (out.head !== '1') return { state: 'running' };
    const rows = out.body.toString('utf8').split('\n');
    const trim = () => {
      while (rows.length && BLANK_LINE.test(rows.at(-1)!)) rows.pop();
    };
    trim();
    if (DEAD_NOTE.test(rows.at(-1) ?? '')) rows.pop();
    trim();
    return { state: 'ended', text: Buffer.from(rows.join('\n')) };
  }

  /** The sessions, each with whether its program still runs; none when tmux is not running. */
  async listSessions(): Promise<Map<string, boolean>> {
    try {
      const out = await this.run(['list-sessions', '-F', '#{session_name} #{pane_dead}']);
      const sessions = new Map<string, boolean>();
      for (const line of out.toString().split('\n').filter(Boolean)) {
        const [name, dead] = line.split(' ');
        sessions.set(name!, dead !== '1');
      }
      return sessions;
    } catch {
      return new Map();
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
   * joined) as raw bytes with `\n` line ends, empty when there is none, how many lines tmux
   * holds in all, and whether the program has exited (see `pane`); null when the session does
   * not exist. One tmux call answers all: it is on every reattach's path.
   */
  async history(
    name: string,
    lines: number,
  ): Promise<{ bytes: Buffer; size: number; ended: boolean } | null> {
    const out = await this.capture(name, '#{history_size} #{pane_dead}', [
      '-S',
      String(-Math.max(1, lines)),
      '-E',
      '-1',
    ]);
    if (!out) return null;
    const [first, dead] = out.head.split(' ');
    const size = Number(first) || 0;
    const ended = dead === '1';
    // With no history, `-E -1` would give the screen's first line: it would be doubled.
    if (lines <= 0 || size === 0) return { bytes: Buffer.alloc(0), size, ended };
    return { bytes: out.body, size, ended };
  }

  /**
   * `format` about the session's pane, and its text (colours kept, wrapped lines joined) in
   * the range `range` gives, in one tmux command, so nothing scrolls between the two; null
   * when the session does not exist.
   */
  private async capture(
    name: string,
    format: string,
    range: string[],
  ): Promise<{ head: string; body: Buffer } | null> {
    const target = `=${name}:`;
    const out = await this.run([
      'display-message',
      '-p',
      '-t',
      target,
      format,
      ';',
      'capture-pane',
      '-p',
      '-e',
      '-J',
      ...range,
      '-t',
      target,
    ]).catch(() => null);
    if (!out) return null;
    const nl = out.indexOf(0x0a);
    if (nl < 0) return { head: out.toString().trim(), body: Buffer.alloc(0) };
    return { head: out.subarray(0, nl).toString(), body: out.subarray(nl + 1) };
  }

  async killServer(): Promise<void> {
    await this.run(['kill-server']).catch(() => {});
  }
}
