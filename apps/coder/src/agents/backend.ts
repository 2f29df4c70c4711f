import type { AgentEvent, Choice, PermissionOption } from '@boocode/protocol';

/** A permission question the agent asks; answered with one of its options, or cancelled. */
export interface PermissionAsk {
  toolCallId: string | null;
  title: string;
  options: PermissionOption[];
}
export type PermissionAnswer = { optionId: string } | { cancelled: true };

/** Where a backend sends what its agent does. */
export interface AgentSink {
  /** Every event but `permission.*`, `prompt` and `changes`, which the session adds itself. */
  emit(event: AgentEvent): void;
  /** Resolves when the user answers (inline or in the inbox), or cancelled on stop/close. */
  requestPermission(ask: PermissionAsk): Promise<PermissionAnswer>;
}

/** The drivers coder runs an agent with itself (`pty` agents run in a terminal of booterm). */
export const AGENT_DRIVERS = ['acp', 'http', 'sdk'] as const;
export type AgentDriver = (typeof AGENT_DRIVERS)[number];
export const isAgentDriver = (d: string): d is AgentDriver =>
  (AGENT_DRIVERS as readonly string[]).includes(d);

/** The process of an agent: how to start it, resolved from the provider registry. */
export interface AgentLaunch {
  /**
   * What runs it: an ACP agent over stdio (the default), `opencode serve` over HTTP, or the
   * Claude Agent SDK.
   */
  driver?: AgentDriver;
  command: string;
  args: string[];
  /** The whole environment of the child (HOME, the endpoint's variables...). */
  env: Record<string, string>;
}

export interface AgentStartOptions {
  launch: AgentLaunch;
  /** The session's worktree: the agent's cwd, and the only root its file methods may touch. */
  cwd: string;
  mode?: string;
  model?: string;
  thinking?: string;
  sink: AgentSink;
  /** Handshake timeout (initialize and new session), ms. */
  startTimeoutMs?: number;
  /** Cancels the start: the agent is killed and the start rejects. */
  signal?: AbortSignal;
  /** boocode's agent session id (a backend keys what it keeps by it); none for a probe. */
  sessionId?: string;
  /** The backend's own session to take up again (Claude's session id), from `resumeId`. */
  resume?: string;
}

/** What the agent reported at start: the models and modes it offers, its current ones. */
export interface AgentStarted {
  models: Choice[];
  modes: Choice[];
  currentModel: string | null;
  currentMode: string | null;
  /** How hard it may think (Claude's effort levels), where the agent reports them. */
  thinkingLevels?: Choice[];
}

/**
 * One live agent session (a process speaking ACP, an SDK session...). `prompt` runs one turn
 * and resolves with its stop reason when the turn ends; the agent's own crash rejects it with
 * the reason (exit code, stderr tail). `close` kills the whole process group.
 */
export interface AgentBackend {
  readonly started: AgentStarted;
  /**
   * The backend's own session id when it can be taken up again after boocode restarts
   * (Claude's, from its session store); null otherwise. Saved on the agent session.
   */
  resumeId(): string | null;
  prompt(text: string): Promise<{ stopReason: string }>;
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export type StartAgent = (opts: AgentStartOptions) => Promise<AgentBackend>;
