import { Readable, Writable } from 'node:stream';
import {
  ClientSideConnection,
  ndJsonStream,
  PROTOCOL_VERSION,
  type Implementation,
} from '@agentclientprotocol/sdk';
import { createPathGuard } from '@boocode/files';
import type { AgentEvent } from '@boocode/protocol';
import type { AgentBackend, AgentStartOptions, AgentStarted, StartAgent } from '../backend.ts';
import { acpClient } from './acp-client.ts';
import { AcpEvents } from './acp-events.ts';
import { AgentProcess } from './agent-process.ts';
import {
  applySetting,
  errorText,
  NewSessionReply,
  readSettings,
  startedOf,
} from './session-settings.ts';
import { Terminals } from './terminals.ts';

export const DEFAULT_START_TIMEOUT_MS = 30_000;
/** How long a broken connection waits for the child's exit, so the error can name it. */
const EXIT_WAIT_MS = 2_000;

/** A started ACP agent, with what its `initialize` said about itself. */
export interface AcpAgent {
  backend: AgentBackend;
  agentInfo: Implementation | null;
}

/** Starts any agent that speaks ACP over stdio (qwen --acp, claude-code-acp, ...). */
export const startAcpAgent: StartAgent = async (opts) => (await openAcpAgent(opts)).backend;

export async function openAcpAgent(opts: AgentStartOptions): Promise<AcpAgent> {
  const timeoutMs = opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  if (opts.signal?.aborted) throw new Error('the start was cancelled');
  // Before the spawn: a missing worktree is our fault, and leaves no process behind.
  const guard = createPathGuard([{ id: 'worktree', path: opts.cwd }]);
  const proc = new AgentProcess(opts.launch, opts.cwd);
  const terminals = new Terminals(opts.cwd, opts.launch.env);
  const emit = (event: AgentEvent) => opts.sink.emit(event);
  const events = new AcpEvents(emit);
  const conn = new ClientSideConnection(
    () => acpClient({ sink: opts.sink, guard, terminals, events }),
    ndJsonStream(
      Writable.toWeb(proc.child.stdin) as WritableStream<Uint8Array>,
      Readable.toWeb(proc.child.stdout) as ReadableStream<Uint8Array>,
    ),
  );

  /** Why a call failed: the child's death (exit, stderr tail) when that is what happened. */
  const explain = async (err: unknown, during: string): Promise<Error> => {
    if (!conn.signal.aborted && !proc.exitInfo) {
      return new Error(proc.withStderr(`the agent failed ${during}: ${errorText(err)}`));
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([proc.exited, new Promise((r) => (timer = setTimeout(r, EXIT_WAIT_MS)))]);
    clearTimeout(timer);
    const what = proc.exitInfo ? proc.describeExit() : 'closed its connection';
    return new Error(proc.withStderr(`the agent ${what} ${during}`));
  };
  const shutdown = async () => {
    events.stop();
    await terminals.closeAll();
    await proc.kill();
  };

  // The whole start, settings included, runs against one deadline: a silent agent never hangs it.
  let step = 'initialize';
  const handshake = async () => {
    const init = await conn.initialize({
      protocolVersion: PROTOCOL_VERSION,
      clientCapabilities: { fs: { readTextFile: true, writeTextFile: true }, terminal: true },
      clientInfo: { name: 'boocode', version: '0.0.0' },
    });
    step = 'session/new';
    const reply = NewSessionReply.parse(await conn.newSession({ cwd: opts.cwd, mcpServers: [] }));
    events.setSession(reply.sessionId);
    const settings = readSettings(reply);
    for (const [what, value] of [
      ['mode', opts.mode],
      ['model', opts.model],
    ] as const) {
      if (value === undefined) continue;
      step = `the ${what} setting`;
      const selector = settings[what === 'mode' ? 'modes' : 'models'];
      const refused = await applySetting(conn, reply.sessionId, what, selector, value);
      if (refused) emit({ type: 'error', message: refused });
    }
    return { init, sessionId: reply.sessionId, settings };
  };
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  const outcome = await Promise.race([
    handshake().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs))),
    new Promise<{ ok: false; error: Error }>((r) => {
      onAbort = () => r({ ok: false, error: new Error('the start was cancelled') });
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', onAbort);
  if (opts.signal?.aborted) {
    await shutdown();
    throw new Error('the start was cancelled');
  }
  if (!outcome?.ok) {
    const error = outcome
      ? await explain(outcome.error, `before answering ${step}`)
      : new Error(proc.withStderr(`the agent did not answer ${step} within ${timeoutMs / 1000} s`));
    await shutdown();
    throw error;
  }

  const { init, sessionId, settings } = outcome.value;
  const backend = new AcpBackend({
    conn,
    sessionId,
    started: startedOf(settings),
    events,
    explain,
    shutdown,
  });
  return { backend, agentInfo: init.agentInfo ?? null };
}

interface LiveSession {
  conn: ClientSideConnection;
  sessionId: string;
  started: AgentStarted;
  events: AcpEvents;
  /** The error a failed call becomes (naming the child's exit when it died). */
  explain(err: unknown, during: string): Promise<Error>;
  /** Kills the terminals and the process group. */
  shutdown(): Promise<void>;
}

class AcpBackend implements AgentBackend {
  readonly started: AgentStarted;
  private turn = false;
  private closing: Promise<void> | null = null;

  constructor(private readonly live: LiveSession) {
    this.started = live.started;
  }

  /** An ACP session ends with its process: nothing to take up after a restart. */
  resumeId(): string | null {
    return null;
  }

  async prompt(text: string): Promise<{ stopReason: string }> {
    if (this.closing) throw new Error('the agent session is closed');
    if (this.turn) throw new Error('a turn is already running');
    this.turn = true;
    try {
      this.live.events.startTurn();
      const res = await this.live.conn.prompt({
        sessionId: this.live.sessionId,
        prompt: [{ type: 'text', text }],
      });
      this.live.events.endTurn(res);
      return { stopReason: res.stopReason };
    } catch (err) {
      throw await this.live.explain(err, 'during the turn');
    } finally {
      this.turn = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.closing || this.live.conn.signal.aborted) return;
    try {
      await this.live.conn.cancel({ sessionId: this.live.sessionId });
    } catch (err) {
      // An agent gone meanwhile has nothing left to cancel: its turn already failed.
      if (!this.live.conn.signal.aborted) throw err;
    }
  }

  close(): Promise<void> {
    this.closing ??= this.live.shutdown();
    return this.closing;
  }
}
