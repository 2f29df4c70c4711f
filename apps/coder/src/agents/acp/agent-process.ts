import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AgentLaunch } from '../backend.ts';
import { agentGroupEnded, agentGroupStarted } from '../leftovers.ts';

/** How much of the agent's stderr is kept: enough for a stack trace, bounded for a chatty agent. */
export const STDERR_TAIL_BYTES = 8 * 1024;
const KILL_GRACE_MS = 2_000;

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/**
 * An agent's process, leader of its own process group: stdio pipes for the protocol, stderr kept
 * as a bounded tail for error messages (never parsed), and a `kill` that takes the whole group.
 */
export class AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once the child exited (or failed to spawn: code null, signal null). */
  readonly exited: Promise<ExitInfo>;
  private tail = Buffer.alloc(0);
  private exit: ExitInfo | null = null;
  private spawnError: Error | null = null;

  constructor(launch: AgentLaunch, cwd: string) {
    this.child = spawn(launch.command, launch.args, {
      cwd,
      env: launch.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      const joined = Buffer.concat([this.tail, chunk]);
      this.tail = joined.subarray(Math.max(0, joined.length - STDERR_TAIL_BYTES));
    });
    // A child gone before we write must not crash us with EPIPE: the exit says what happened.
    this.child.stdin.on('error', () => {});
    // Written down while it runs: a coder killed meanwhile leaves it to the next one to end.
    const pid = this.child.pid;
    if (pid !== undefined) {
      agentGroupStarted(pid);
      this.child.once('close', () => agentGroupEnded(pid));
    }
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => {
        this.spawnError = err;
        if (this.child.pid === undefined) resolve((this.exit = { code: null, signal: null }));
      });
      this.child.once('close', (code, signal) => resolve((this.exit = { code, signal })));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exitInfo(): ExitInfo | null {
    return this.exit;
  }

  /** The last bytes of stderr, as text. */
  stderrTail(): string {
    return this.tail.toString('utf8').trim();
  }

  /** "exited with code 3" / "was killed by SIGKILL" / "could not start: ENOENT ...". */
  describeExit(): string {
    if (this.spawnError && this.exit?.code == null && this.exit?.signal == null)
      return `could not start: ${this.spawnError.message}`;
    if (!this.exit) return 'is still running';
    if (this.exit.signal) return `was killed by ${this.exit.signal}`;
    return `exited with code ${this.exit.code}`;
  }

  /** `message`, then the stderr tail when there is one. */
  withStderr(message: string): string {
    const tail = this.stderrTail();
    return tail ? `${message}; stderr: ${tail}` : message;
  }

  /**
   * Ends the whole process group: SIGTERM, SIGKILL after a grace, and resolves once the leader
   * exited and no live member of the group is left (agents wrap native children).
   */
  async kill(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const gone = () => this.exit !== null && !groupAlive(pid);
    // EOF first: most agents end on it; SIGTERM for the rest of the group.
    this.child.stdin.end();
    signalGroup(pid, 'SIGTERM');
    const until = Date.now() + KILL_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, KILL_GRACE_MS)))]);
    clearTimeout(timer);
    // The leader is gone; its helpers may take a moment longer to die of the SIGTERM.
    while (!gone() && Date.now() < until) await sleep(20);
    if (gone()) return;
    signalGroup(pid, 'SIGKILL');
    await this.exited;
    // Members reparented to init leave the group only once reaped: wait for them to be gone.
    for (let i = 0; i < 200 && groupAlive(pid); i++) await sleep(10);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * True while a process other than a zombie belongs to group `pgid`. Reads /proc, because
 * `kill(-pgid, 0)` also succeeds for zombies nobody reaped yet.
 */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return probeGroup(pgid);
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parens, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

function probeGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
