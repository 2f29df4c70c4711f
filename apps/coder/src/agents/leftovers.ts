import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/*
 * The agent process groups coder runs are written down in `$BOOCODE_HOME/run/agent-groups`, a
 * line per group: its leader's pid and start time (from /proc, so that a pid the system gave
 * to another process since is told apart). Agents speaking over stdio end when coder's pipes
 * close, but an HTTP server such as `opencode serve` or a CLI in a group of its own lives on
 * after coder is killed: the next coder ends the groups its predecessor left, before it starts.
 */

let file: string | null = null;
/** Leader pid -> start time, of the groups this coder runs now. */
const live = new Map<number, string>();

/** Where this coder writes its agent groups down; groups started before this are not kept. */
export function recordAgentGroups(at: string): void {
  mkdirSync(path.dirname(at), { recursive: true, mode: 0o700 });
  file = at;
  live.clear();
  save();
}

/** A group whose leader is `pid` started. */
export function agentGroupStarted(pid: number): void {
  const started = startTime(pid);
  if (!file || started === null) return;
  live.set(pid, started);
  save();
}

/** The group of `pid` ended. */
export function agentGroupEnded(pid: number): void {
  if (!file || !live.delete(pid)) return;
  save();
}

/**
 * Ends (SIGKILL) every group written down in `at` whose leader still runs as the process that
 * was written down; answers how many. A missing or unreadable file ends nothing.
 */
export function endLeftoverGroups(at: string): number {
  let text: string;
  try {
    text = readFileSync(at, 'utf8');
  } catch {
    return 0;
  }
  let ended = 0;
  for (const line of text.split('\n')) {
    const [pidText, started] = line.trim().split(' ');
    const pid = Number(pidText);
    if (!Number.isInteger(pid) || pid <= 1 || !started || startTime(pid) !== started) continue;
    try {
      process.kill(-pid, 'SIGKILL');
      ended++;
    } catch {
      // gone meanwhile
    }
  }
  return ended;
}

function save(): void {
  if (!file) return;
  const lines = [...live].map(([pid, started]) => `${pid} ${started}\n`).join('');
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, lines, { mode: 0o600 });
  renameSync(tmp, file);
}

/** The process's start time in clock ticks since boot (/proc/<pid>/stat, field 22), or null. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
