import os from 'node:os';
import path from 'node:path';
import {
  query,
  type CanUseTool,
  type PermissionMode,
  type Query,
  type SDKMessage,
  type SDKUserMessage,
  type SessionStore,
  type SessionStoreEntry,
  type SpawnOptions,
} from '@anthropic-ai/claude-agent-sdk';
import { AgentProcess } from '../acp/agent-process.ts';
import type { AgentLaunch } from '../backend.ts';
import { InputQueue } from './input-queue.ts';

export interface LiveQueryOptions {
  launch: AgentLaunch;
  cwd: string;
  mode: PermissionMode;
  model?: string;
  /** Claude's effort (the pane's thinking level); the model's default when none. */
  effort?: 'low' | 'medium' | 'high' | 'xhigh' | 'max';
  /** Claude's session id to take up again (from the session store). */
  resume?: string;
  store: SessionStore;
  canUseTool: CanUseTool;
  /** The main transcript the SDK loaded from the store to resume (before the CLI starts). */
  onResumeLoad(entries: SessionStoreEntry[] | null): void;
  onMessage(msg: SDKMessage): void;
  /** The query ended: `error` when the CLI died or the stream broke (null when we closed it). */
  onEnd(error: Error | null): void;
}

/**
 * One warm `query()` in streaming-input mode: one CLI process, fed user messages through a
 * pushable input, its messages handed on in order. The process is ours (spawned as the leader of
 * its own group), so `close` leaves nothing running and a crash can name its exit and stderr.
 */
export class LiveQuery {
  readonly query: Query;
  private readonly input = new InputQueue<SDKUserMessage>();
  private proc: AgentProcess | null = null;
  private closing: Promise<void> | null = null;
  private pumped: Promise<void>;
  /** Appends to the store still running: a close waits for them, so a restart loses none. */
  private readonly appending = new Set<Promise<void>>();

  constructor(private readonly opts: LiveQueryOptions) {
    this.query = query({
      prompt: this.input,
      options: {
        pathToClaudeCodeExecutable: opts.launch.command,
        env: withConfigDir(opts.launch.env),
        cwd: opts.cwd,
        permissionMode: opts.mode,
        allowDangerouslySkipPermissions: opts.mode === 'bypassPermissions',
        ...(opts.model ? { model: opts.model } : {}),
        ...(opts.effort ? { effort: opts.effort } : {}),
        ...(opts.resume ? { resume: opts.resume } : {}),
        includePartialMessages: true,
        sessionStore: this.tracked(opts.store),
        canUseTool: opts.canUseTool,
        // settingSources left out: as the CLI does, the user settings of the agent's own HOME and
        // the project's (CLAUDE.md, .claude/settings.json) are read.
        spawnClaudeCodeProcess: (spawn) => this.spawn(spawn),
      },
    });
    this.pumped = this.pump();
  }

  /** The CLI's process id, once spawned. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  send(text: string): void {
    this.input.push({
      type: 'user',
      message: { role: 'user', content: text },
      parent_tool_use_id: null,
      session_id: '',
    });
  }

  /**
   * Ends the input (the CLI ends its session and sends the last transcript entries), then the
   * query and the whole process group, and waits for the store's appends.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.input.end();
      await Promise.race([this.pumped, sleep(CLOSE_GRACE_MS)]);
      this.query.close();
      await this.proc?.kill();
      await Promise.allSettled([...this.appending]);
    })();
    return this.closing;
  }

  /** "the Claude CLI exited with code 1 <during>; stderr: ..." */
  describe(during: string): string {
    const proc = this.proc;
    if (!proc) return `the Claude CLI did not start ${during}`;
    const what = proc.exitInfo ? proc.describeExit() : 'closed its stream';
    return proc.withStderr(`the Claude CLI ${what} ${during}`);
  }

  /** `message`, then the CLI's stderr tail when there is one. */
  withStderr(message: string): string {
    return this.proc ? this.proc.withStderr(message) : message;
  }

  /** Resolves once the CLI exited, or after a grace: a failure can then name the exit. */
  async settled(): Promise<void> {
    if (this.proc) await Promise.race([this.proc.exited, sleep(EXIT_WAIT_MS)]);
  }

  private tracked(store: SessionStore): SessionStore {
    return {
      load: async (key) => {
        const entries = await store.load(key);
        if (key.subpath === undefined) this.opts.onResumeLoad(entries);
        return entries;
      },
      listSubkeys: store.listSubkeys && ((key) => store.listSubkeys!(key)),
      append: (key, entries) => {
        const done = store.append(key, entries);
        const settled = done.then(
          () => {},
          () => {},
        );
        this.appending.add(settled);
        void settled.then(() => this.appending.delete(settled));
        return done;
      },
    };
  }

  private spawn(spawn: SpawnOptions) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(spawn.env)) if (v !== undefined) env[k] = v;
    const proc = new AgentProcess({ command: spawn.command, args: spawn.args, env }, this.opts.cwd);
    this.proc = proc;
    spawn.signal.addEventListener('abort', () => void proc.kill(), { once: true });
    return proc.child;
  }

  private async pump(): Promise<void> {
    let error: Error | null = null;
    try {
      for await (const msg of this.query) this.opts.onMessage(msg);
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    if (this.closing) return this.opts.onEnd(null);
    // The stream broke or ended on its own: the CLI is gone (or going); wait to name its exit.
    await this.settled();
    this.opts.onEnd(
      new Error(this.describe(`during the turn${error ? ` (${error.message})` : ''}`)),
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a failure waits for the CLI's exit, so its message can name it. */
const EXIT_WAIT_MS = 2_000;
/** How long a closing CLI may take to end its session on its own before it is killed. */
const CLOSE_GRACE_MS = 2_000;

/**
 * The SDK maps the CLI's transcript paths to store keys under the config dir it computes from
 * the child's env; without CLAUDE_CONFIG_DIR it would use our own HOME, not the agent's, and
 * drop every mirrored entry.
 */
function withConfigDir(env: Record<string, string>): Record<string, string> {
  if (env.CLAUDE_CONFIG_DIR) return env;
  return { ...env, CLAUDE_CONFIG_DIR: path.join(env.HOME ?? os.homedir(), '.claude') };
}
