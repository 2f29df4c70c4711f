import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type {
  CreateTerminalRequest,
  CreateTerminalResponse,
  TerminalExitStatus,
  TerminalOutputResponse,
  WaitForTerminalExitResponse,
} from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import { isInside } from '@boocode/files';

/** Output kept when the agent names no limit. */
const DEFAULT_OUTPUT_LIMIT = 1024 * 1024;

interface Terminal {
  child: ChildProcess;
  output: Buffer;
  truncated: boolean;
  limit: number;
  exit: TerminalExitStatus | null;
  exited: Promise<TerminalExitStatus>;
}

/**
 * ACP's terminal methods: commands the agent runs through the client, in the session's worktree,
 * each in its own process group so a kill takes its children too. Output is kept up to the
 * requested byte limit, dropping from the start (as the protocol asks) on a character boundary.
 */
export class Terminals {
  private readonly terminals = new Map<string, Terminal>();

  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string>,
  ) {}

  create(req: CreateTerminalRequest): CreateTerminalResponse {
    const cwd = req.cwd ? path.resolve(this.cwd, req.cwd) : this.cwd;
    if (!isInside(this.cwd, cwd)) {
      throw RequestError.invalidParams({ cwd: req.cwd }, `cwd ${req.cwd} is outside ${this.cwd}`);
    }
    const env = { ...this.env };
    for (const v of req.env ?? []) env[v.name] = v.value;
    // No args: the command is a shell line (what agents send); with args: an argv.
    const child =
      req.args && req.args.length > 0
        ? spawn(req.command, req.args, {
            cwd,
            env,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
          })
        : spawn('/bin/sh', ['-c', req.command], {
            cwd,
            env,
            detached: true,
            stdio: ['ignore', 'pipe', 'pipe'],
          });
    const id = randomUUID();
    const term: Terminal = {
      child,
      output: Buffer.alloc(0),
      truncated: false,
      limit: req.outputByteLimit ?? DEFAULT_OUTPUT_LIMIT,
      exit: null,
      exited: new Promise((resolve) => {
        child.once('error', (err) => {
          term.output = Buffer.concat([term.output, Buffer.from(`${err.message}\n`)]);
          if (child.pid === undefined) resolve((term.exit = { exitCode: 127, signal: null }));
        });
        child.once('close', (code, signal) => resolve((term.exit = { exitCode: code, signal })));
      }),
    };
    const append = (chunk: Buffer) => {
      const joined = Buffer.concat([term.output, chunk]);
      if (joined.length <= term.limit) {
        term.output = joined;
        return;
      }
      term.truncated = true;
      let start = joined.length - term.limit;
      // Never start inside a UTF-8 sequence: skip continuation bytes.
      while (start < joined.length && ((joined[start] ?? 0) & 0xc0) === 0x80) start++;
      term.output = joined.subarray(start);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.terminals.set(id, term);
    return { terminalId: id };
  }

  output(terminalId: string): TerminalOutputResponse {
    const term = this.get(terminalId);
    return {
      output: term.output.toString('utf8'),
      truncated: term.truncated,
      ...(term.exit ? { exitStatus: term.exit } : {}),
    };
  }

  async waitForExit(terminalId: string): Promise<WaitForTerminalExitResponse> {
    return await this.get(terminalId).exited;
  }

  async kill(terminalId: string): Promise<void> {
    await killTerminal(this.get(terminalId));
  }

  async release(terminalId: string): Promise<void> {
    const term = this.get(terminalId);
    this.terminals.delete(terminalId);
    await killTerminal(term);
  }

  /** Kills every terminal: the session is closing. */
  async closeAll(): Promise<void> {
    const all = [...this.terminals.values()];
    this.terminals.clear();
    await Promise.all(all.map(killTerminal));
  }

  private get(terminalId: string): Terminal {
    const term = this.terminals.get(terminalId);
    if (!term) throw RequestError.resourceNotFound(terminalId);
    return term;
  }
}

async function killTerminal(term: Terminal): Promise<void> {
  const pid = term.child.pid;
  if (term.exit || pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await term.exited;
}
