import os from 'node:os';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { WebSocket } from 'ws';
import {
  AppError,
  notFound,
  TERMINAL_WS_NOT_FOUND,
  type CreateTerminalBody,
  type SshHost,
  type Terminal,
} from '@boocode/protocol';
import {
  deleteTerminal,
  getProject,
  getSshHost,
  getTerminal,
  insertTerminal,
  listTerminals,
  markTerminalsDead,
  renameTerminal,
  setTerminalSize,
  type Sql,
} from '@boocode/db';
import { createPathGuard } from '@boocode/files';
import { agentTerminal } from './agent-terminal.ts';
import { Refusal, TerminalView, type ViewStats } from './terminal-view.ts';
import type { NewSession, Tmux } from './tmux.ts';

interface Log {
  warn(obj: unknown, msg?: string): void;
}

export interface TerminalServiceDeps {
  sql: Sql;
  tmux: Tmux;
  /** argv of a local terminal; null: the login shell. */
  shell: string[] | null;
  /** `$BOOCODE_HOME`: SSH's known_hosts lives there. */
  home: string;
  replayLines: number;
  /** Terminals kept at once (running or ended); creating one more is refused. */
  maxTerminals: number;
  log: Log;
}

/** The `ssh` argv of a terminal on `host`: a first connection accepts and records the key. */
export function sshCommand(host: SshHost, home: string): string[] {
  return [
    'ssh',
    '-p',
    String(host.port),
    ...(host.identityFile ? ['-i', host.identityFile] : []),
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    `UserKnownHostsFile=${path.join(home, 'known_hosts')}`,
    '-l',
    host.user,
    '--',
    host.host,
  ];
}

/** Terminals: rows in PostgreSQL, sessions in tmux, sockets attached to them. */
export class TerminalService {
  private readonly views = new Map<string, Set<TerminalView>>();
  private watchTimer: NodeJS.Timeout | null = null;

  constructor(private readonly d: TerminalServiceDeps) {}

  /**
   * Marks the rows whose program exited (its last screen stays in tmux until the terminal is
   * removed) or whose session is gone (the tmux server died, the machine restarted), and ends
   * the tmux sessions whose row is gone (an agent's terminal, its chat deleted).
   */
  async reconcile(): Promise<number> {
    const running = await this.d.tmux.listSessions();
    const rows = await listTerminals(this.d.sql);
    const kept = new Set(rows.map((t) => t.id));
    for (const name of running.keys()) {
      if (!kept.has(name)) await this.d.tmux.killSession(name);
    }
    return markTerminalsDead(
      this.d.sql,
      rows.filter((t) => t.alive && !running.get(t.id)).map((t) => t.id),
    );
  }

  async list(): Promise<Terminal[]> {
    await this.reconcile();
    return listTerminals(this.d.sql);
  }

  async create(body: CreateTerminalBody & { cols: number; rows: number }): Promise<Terminal> {
    const kept = (await listTerminals(this.d.sql)).length;
    if (kept >= this.d.maxTerminals) {
      throw new AppError(
        'limit_reached',
        `There are ${kept} terminals, the most boocode keeps (BOOTERM_MAX_TERMINALS): remove one first.`,
      );
    }
    let cwd = os.homedir();
    let title = 'Terminal';
    let host: SshHost | null = null;
    let projectId = body.projectId ?? null;
    let run: Pick<NewSession, 'command'> = { command: this.d.shell };
    let envFile: string | null = null;
    if (body.agentSessionId) {
      const a = await agentTerminal(this.d.sql, this.d.home, body.agentSessionId);
      ({ cwd, title, projectId, envFile } = a);
      run = { command: a.command };
    } else if (body.projectId) {
      const project = await getProject(this.d.sql, body.projectId);
      if (!project) throw notFound('project');
      cwd = await projectDir(project.id, project.path);
      title = project.name;
    } else if (body.sshHostId) {
      host = await getSshHost(this.d.sql, body.sshHostId);
      if (!host) throw notFound('SSH host');
      title = host.name;
      run = { command: sshCommand(host, this.d.home) };
    }
    // An agent's env file goes once its shell has read it; if it never starts, here.
    const dropEnv = () => (envFile ? rm(envFile, { force: true }) : Promise.resolve());
    const terminal = await insertTerminal(this.d.sql, {
      title: body.title ?? (await this.freeTitle(title)),
      projectId,
      cwd,
      sshHostId: host?.id ?? null,
      agentSessionId: body.agentSessionId ?? null,
      cols: body.cols,
      rows: body.rows,
    }).catch(async (err: unknown) => {
      await dropEnv();
      throw err;
    });
    try {
      await this.d.tmux.newSession(terminal.id, {
        cwd: terminal.cwd,
        cols: terminal.cols,
        rows: terminal.rows,
        ...run,
      });
    } catch (err) {
      await deleteTerminal(this.d.sql, terminal.id);
      await dropEnv();
      throw err;
    }
    return terminal;
  }

  /** `base`, or `base 2`, `base 3` ...: a default name no listed terminal has. */
  private async freeTitle(base: string): Promise<string> {
    const taken = new Set((await listTerminals(this.d.sql)).map((t) => t.title));
    let title = base;
    for (let n = 2; taken.has(title); n++) title = `${base} ${n}`;
    return title;
  }

  async rename(id: string, title: string): Promise<Terminal> {
    const t = await renameTerminal(this.d.sql, id, title);
    if (!t) throw notFound('terminal');
    return t;
  }

  /** Sizes every attached view; the size is kept for the next attach. */
  async resize(id: string, cols: number, rows: number): Promise<Terminal> {
    const t = await setTerminalSize(this.d.sql, id, { cols, rows });
    if (!t) throw notFound('terminal');
    for (const a of this.views.get(id) ?? []) a.resize(cols, rows);
    return t;
  }

  /** Kills the session (its programs get SIGHUP) and forgets the terminal. */
  async kill(id: string): Promise<void> {
    const t = await getTerminal(this.d.sql, id);
    if (!t) throw notFound('terminal');
    await this.d.tmux.killSession(id);
    await deleteTerminal(this.d.sql, id);
  }

  /**
   * Attaches a socket: scrollback, then live bytes; ends it when the terminal cannot be
   * had. Call it as soon as the socket opens: it listens from then on.
   */
  attach(ws: WebSocket, id: string, size: { cols: number; rows: number }): Promise<void> {
    const a = new TerminalView(ws, {
      tmux: this.d.tmux,
      name: id,
      size,
      replayLines: this.d.replayLines,
      prepare: async () => {
        const t = await getTerminal(this.d.sql, id);
        if (!t) throw new Refusal(TERMINAL_WS_NOT_FOUND, null, 'no such terminal');
        // A session that ended is found by the scrollback's tmux call, next: its last screen
        // is shown again, as long as tmux has it.
        // Kept for the next attach: nothing waits on it.
        setTerminalSize(this.d.sql, id, size).catch((err: unknown) =>
          this.d.log.warn({ err }, 'could not record the terminal size'),
        );
      },
      onSessionEnded: async () => {
        await markTerminalsDead(this.d.sql, [id]);
      },
      onError: (err) => this.d.log.warn({ err }, 'terminal socket failed'),
    });
    let set = this.views.get(id);
    if (!set) this.views.set(id, (set = new Set()));
    set.add(a);
    this.watchTimer ??= setInterval(() => void this.watch(), WATCH_MS);
    ws.on('close', () => {
      set.delete(a);
      if (set.size === 0) this.views.delete(id);
      if (this.views.size === 0 && this.watchTimer) {
        clearInterval(this.watchTimer);
        this.watchTimer = null;
      }
    });
    return a.start();
  }

  /** Ends the views of the terminals whose program exited and whose clients stayed. */
  private async watch(): Promise<void> {
    const running = await this.d.tmux.listSessions();
    for (const [id, set] of this.views) {
      if (running.get(id) === false) for (const a of set) a.programEnded();
    }
  }

  /** Flow-control figures of the sockets attached to a terminal (tests, bench). */
  stats(id: string): ViewStats[] {
    return [...(this.views.get(id) ?? [])].map((a) => ({ ...a.stats }));
  }

  /** Detaches every socket (1001: the browser reconnects); the sessions run on in tmux. */
  shutdown(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    for (const set of this.views.values()) {
      for (const a of set) a.close(1001, 'booterm stopping');
    }
    this.views.clear();
  }
}

/** How often the attached terminals are checked for a program that exited unnoticed. */
const WATCH_MS = 500;

/** A project's directory, through the path guard (real path, must be a directory). */
async function projectDir(id: string, dir: string): Promise<string> {
  try {
    const r = await createPathGuard([{ id, path: dir }]).resolve('.');
    if (!r.ok) throw new Error(r.message);
    return r.abs;
  } catch {
    throw new AppError('conflict', `The project's directory ${dir} is not there any more.`);
  }
}
