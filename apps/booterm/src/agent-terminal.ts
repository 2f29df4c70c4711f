import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getAgentSession, type Sql } from '@boocode/db';
import { createPathGuard } from '@boocode/files';
import { AppError, notFound, PtyLaunchFile } from '@boocode/protocol';

/** What a terminal of an agent session runs, and where. */
export interface AgentTerminal {
  projectId: string;
  cwd: string;
  title: string;
  /** The CLI's argv behind a shell that takes its env from `envFile` (see withEnvFile). */
  command: string[];
  /** 0600, removed by the shell once read; the caller removes it if tmux did not start. */
  envFile: string;
}

/** The terminal owns these: the CLI runs in xterm.js, whatever coder's own TERM was. */
const TERMINAL_VARS = new Set(['TERM', 'COLORTERM', 'TMUX', 'TMUX_PANE']);

/**
 * A `pty` agent session's CLI, as coder wrote its launch to
 * `$BOOCODE_HOME/agents/pty/<sessionId>.json`: refused unless the session is live (running or
 * idle), its worktree is there and the launch is whole. Nothing of the env is logged or stored.
 */
export async function agentTerminal(
  sql: Sql,
  home: string,
  sessionId: string,
): Promise<AgentTerminal> {
  const session = await getAgentSession(sql, sessionId);
  if (!session) throw notFound('agent session');
  if (session.status !== 'running' && session.status !== 'idle') {
    throw new AppError(
      'conflict',
      `This agent session is ${session.status}: start a new one for a terminal.`,
    );
  }
  const root = await worktreeDir(session.id, session.worktreePath);
  const launch = await readLaunch(home, sessionId);
  const cwd = await worktreeDir(session.id, launch.cwd);
  const rel = path.relative(root, cwd);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new AppError('conflict', "The agent's directory is not in its session's worktree.");
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(launch.env)) if (!TERMINAL_VARS.has(k)) env[k] = v;
  const envFile = await writeEnvFile(home, env);
  return {
    projectId: session.projectId,
    cwd,
    title: launch.label,
    command: withEnvFile(envFile, [launch.command, ...launch.args]),
    envFile,
  };
}

/**
 * The env (it may hold the endpoint's key) never goes on a command line, which any local user
 * can read in /proc: it goes in a 0600 file in `$BOOCODE_HOME/run` that a shell reads, removes,
 * and then runs the CLI with.
 */
async function writeEnvFile(home: string, env: Record<string, string>): Promise<string> {
  const dir = path.join(home, 'run');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `agent-env-${randomUUID()}`);
  const quote = (v: string) => `'${v.replaceAll("'", `'\\''`)}'`;
  const lines = Object.entries(env).map(([k, v]) => `export ${k}=${quote(v)}\n`);
  await writeFile(file, lines.join(''), { mode: 0o600 });
  return file;
}

function withEnvFile(envFile: string, argv: string[]): string[] {
  const script = '. "$1" && rm -f -- "$1" && shift && exec "$@"';
  return ['/bin/sh', '-c', script, 'boocode-agent', envFile, ...argv];
}

async function readLaunch(home: string, sessionId: string): Promise<PtyLaunchFile> {
  const file = path.join(home, 'agents', 'pty', `${sessionId}.json`);
  const none = new AppError(
    'conflict',
    'This agent session has no terminal launch: its provider is not a terminal (pty) agent.',
  );
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw none;
  }
  let parsed: ReturnType<typeof PtyLaunchFile.safeParse>;
  try {
    parsed = PtyLaunchFile.safeParse(JSON.parse(text));
  } catch {
    throw none;
  }
  if (!parsed.success || parsed.data.sessionId !== sessionId) throw none;
  return parsed.data;
}

/** The session's worktree, through the path guard (real path, must be a directory). */
async function worktreeDir(id: string, dir: string): Promise<string> {
  try {
    const r = await createPathGuard([{ id, path: dir }]).resolve('.');
    if (!r.ok) throw new Error(r.message);
    return r.abs;
  } catch {
    throw new AppError('conflict', `The agent session's worktree ${dir} is not there any more.`);
  }
}
