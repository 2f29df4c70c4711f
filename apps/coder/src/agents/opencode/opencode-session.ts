import type { PermissionOption } from '@boocode/protocol';
import type { AgentBackend, AgentSink, AgentStarted } from '../backend.ts';
import type { LoopHooks, SessionLoop } from './event-loop.ts';
import type { OpencodeServer } from './servers.ts';
import type { ErrorInfo, MessageInfo, PermissionAsked } from './wire.ts';

/** opencode's three answers to a permission question, as boocode's options. */
export const PERMISSION_OPTIONS: PermissionOption[] = [
  { id: 'once', name: 'Allow once', kind: 'allow_once' },
  { id: 'always', name: 'Always allow', kind: 'allow_always' },
  { id: 'reject', name: 'Reject', kind: 'reject_once' },
];
const REPLIES = new Set(['once', 'always', 'reject']);

interface Turn {
  resolve(stopReason: string): void;
  reject(err: Error): void;
  /** The session was seen busy since the prompt went out: its next idle ends the turn. */
  busy: boolean;
  error: ErrorInfo | null;
}

export interface SessionParts {
  server: OpencodeServer;
  directory: string;
  sessionId: string;
  sink: AgentSink;
  started: AgentStarted;
  model: { providerID: string; modelID: string } | undefined;
  agent: string | undefined;
  /** Gives the server back to the pool (the last session stops it). */
  release(): Promise<void>;
}

/** One opencode session driven over `opencode serve`: prompts, cancel, permissions, close. */
export class OpencodeSession implements AgentBackend {
  readonly started: AgentStarted;
  private loop: SessionLoop | null = null;
  private turn: Turn | null = null;
  private cancelled = false;
  private prompts = 0;
  private readonly asked = new Set<string>();
  private closing: Promise<void> | null = null;

  constructor(private readonly parts: SessionParts) {
    this.started = parts.started;
  }

  /** What the session's event loop reports. */
  readonly hooks: LoopHooks = {
    emit: (events) => {
      if (this.closing) return;
      for (const e of events) this.parts.sink.emit(e);
    },
    permission: (ask) => void this.ask(ask),
    busy: () => {
      if (this.turn) this.turn.busy = true;
    },
    idle: (messages) => this.idle(messages),
    error: (error) => {
      const turn = this.turn;
      // The first error says what went wrong; opencode may add its stack as a second one.
      if (!turn || turn.error) return;
      turn.error = error ?? { name: 'UnknownError' };
      // Refused before it started (an unknown agent...): no idle will follow.
      if (!turn.busy) turn.reject(turnError(turn.error));
    },
  };

  attach(loop: SessionLoop): void {
    this.loop = loop;
  }

  /** An opencode session lives in its server's storage only: nothing to resume here. */
  resumeId(): string | null {
    return null;
  }

  async prompt(text: string): Promise<{ stopReason: string }> {
    if (this.closing) throw new Error('the agent session is closed');
    if (this.turn) throw new Error('a turn is already running');
    const { server, sessionId, directory, model, agent } = this.parts;
    const ended = new Promise<string>((resolve, reject) => {
      this.turn = { resolve, reject, busy: false, error: null };
    });
    this.cancelled = false;
    this.prompts++;
    try {
      const sent = server.client.session.promptAsync(
        {
          sessionID: sessionId,
          directory,
          parts: [{ type: 'text', text }],
          ...(model ? { model } : {}),
          ...(agent ? { agent } : {}),
        },
        { throwOnError: true },
      );
      const stopReason = await Promise.race([
        sent.then(
          () => ended,
          (err: unknown) =>
            Promise.reject(new Error(`opencode refused the prompt: ${errorText(err)}`)),
        ),
        server.died.then((reason) => Promise.reject(new Error(reason))),
      ]);
      this.parts.sink.emit({ type: 'done', stopReason });
      return { stopReason };
    } catch (err) {
      // The server's death explains whatever else failed meanwhile.
      throw server.dead ? new Error(server.dead) : err;
    } finally {
      this.turn = null;
    }
  }

  async cancel(): Promise<void> {
    if (this.closing || !this.turn || this.parts.server.dead) return;
    this.cancelled = true;
    const { sessionId, directory } = this.parts;
    await this.parts.server.client.session.abort(
      { sessionID: sessionId, directory },
      { throwOnError: true },
    );
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.turn?.reject(new Error('the agent session is closed'));
    await this.loop?.stop();
    const { server, sessionId, directory } = this.parts;
    if (this.turn && !server.dead) {
      // The server may serve other sessions: this one's work stops with it.
      await server.client.session.abort({ sessionID: sessionId, directory }).catch(() => {});
    }
    await this.parts.release();
  }

  private idle(messages: MessageInfo[] | null): void {
    const turn = this.turn;
    if (!turn) return;
    if (messages === null) {
      // Live: the idle of this turn, not a late one of the turn before.
      if (!turn.busy) return;
    } else if (!answered(messages, this.prompts)) {
      // A re-read before opencode took up the prompt.
      return;
    }
    const error = turn.error ?? lastError(messages);
    if (this.cancelled || error?.name === 'MessageAbortedError') return turn.resolve('cancelled');
    if (error) return turn.reject(turnError(error));
    turn.resolve('end_turn');
  }

  private async ask(ask: PermissionAsked): Promise<void> {
    if (this.closing || this.asked.has(ask.id)) return;
    this.asked.add(ask.id);
    const answer = await this.parts.sink.requestPermission({
      toolCallId: ask.tool?.callID ?? null,
      title: permissionTitle(ask),
      options: PERMISSION_OPTIONS,
    });
    if (this.closing || this.parts.server.dead) return;
    const reply =
      'optionId' in answer && REPLIES.has(answer.optionId)
        ? (answer.optionId as 'once' | 'always' | 'reject')
        : 'reject';
    const { server, directory } = this.parts;
    // A question the turn no longer waits for (cancelled meanwhile) is gone: nothing to do.
    await server.client.permission.reply({ requestID: ask.id, directory, reply }).catch(() => {});
  }
}

/** "Edit hello.txt", "Bash ls -la": what opencode asks, and about what. */
export function permissionTitle(ask: PermissionAsked): string {
  const what = ask.permission.charAt(0).toUpperCase() + ask.permission.slice(1);
  return ask.patterns.length > 0 ? `${what} ${ask.patterns.join(', ')}` : what;
}

/** The session's messages show the `prompts`-th prompt answered: idle after the turn. */
function answered(messages: MessageInfo[], prompts: number): boolean {
  const users = messages.filter((m) => m.role === 'user').length;
  const last = messages.at(-1);
  return (
    users >= prompts &&
    last?.role === 'assistant' &&
    (last.time.completed !== undefined || last.error !== undefined)
  );
}

function turnError(error: ErrorInfo): Error {
  return new Error(`opencode: ${error.data?.message ?? error.name}`);
}

function lastError(messages: MessageInfo[] | null): ErrorInfo | null {
  return messages?.at(-1)?.error ?? null;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (err && typeof err === 'object') return JSON.stringify(err);
  return String(err);
}
