import { z } from 'zod';
import { Id } from './chat.ts';
import { Question } from './questions.ts';

/**
 * BooCoder agents: the providers on this machine, agent sessions (one agent process working in
 * its own git worktree of a project) and the events they stream. REST and WebSocket under
 * /api/coder, served by apps/coder and proxied by the server.
 */

/** A provider's id: the seven built in, or one the user adds to coder-providers.json. */
export const ProviderId = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a lowercase name');
export type ProviderId = z.infer<typeof ProviderId>;
export const BUILTIN_PROVIDERS = [
  'boocode',
  'claude',
  'opencode',
  'goose',
  'qwen',
  'copilot',
  'cursor',
] as const;

/** How a provider is driven. `builtin` is our own loop (the coder chat). */
export const ProviderDriver = z.enum(['builtin', 'acp', 'sdk', 'http', 'pty']);
export type ProviderDriver = z.infer<typeof ProviderDriver>;

const Name = z.string().min(1).max(200);
/** An environment of a provider's process: names as the shell takes them. */
export const EnvMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(4096));

/** One provider in `$BOOCODE_HOME/coder-providers.json`. */
export const ProviderConfig = z
  .object({
    enabled: z.boolean().default(true),
    label: Name.optional(),
    driver: ProviderDriver.optional(),
    /** The executable, found on PATH (or in the project's node_modules/.bin) or absolute. */
    command: z.string().min(1).max(1000).optional(),
    args: z.array(z.string().max(1000)).max(64).optional(),
    env: EnvMap.optional(),
    /**
     * true: the agent keeps its own configuration and login. false (default): a provider that
     * takes an OpenAI-compatible (or Anthropic) endpoint is pointed at boocode's own.
     */
    ownConfig: z.boolean().default(false),
  })
  .strict();
export type ProviderConfig = z.infer<typeof ProviderConfig>;

export const ProvidersFile = z
  .object({ providers: z.record(ProviderId, ProviderConfig).default({}) })
  .strict();
export type ProvidersFile = z.infer<typeof ProvidersFile>;

export const Choice = z.object({ id: z.string(), name: z.string() });
export type Choice = z.infer<typeof Choice>;

/** Tier 2 of a probe: the agent started and answered its handshake (or why not). */
export const ProbeState = z.object({
  state: z.enum(['unprobed', 'probing', 'ok', 'failed']),
  /** When the last probe finished (ISO); null before any. */
  at: z.string().nullable(),
  error: z.string().nullable(),
});
export type ProbeState = z.infer<typeof ProbeState>;

/** A provider as the snapshot shows it. */
export const ProviderInfo = z.object({
  id: ProviderId,
  label: z.string(),
  driver: ProviderDriver,
  enabled: z.boolean(),
  ownConfig: z.boolean(),
  /** Tier 1: the binary is on PATH (always true for `boocode`). */
  installed: z.boolean(),
  version: z.string().nullable(),
  command: z.string().nullable(),
  models: z.array(Choice),
  modes: z.array(Choice),
  thinkingLevels: z.array(Choice),
  probe: ProbeState,
});
export type ProviderInfo = z.infer<typeof ProviderInfo>;

export const ProviderList = z.object({
  providers: z.array(ProviderInfo),
  configPath: z.string(),
  /** The file's fault (with its line) when it could not be used; the defaults are in use. */
  configError: z.string().nullable(),
});
export type ProviderList = z.infer<typeof ProviderList>;
export const ProviderParams = z.object({ providerId: ProviderId });
export const ProviderPatch = z
  .object({ enabled: z.boolean().optional(), ownConfig: z.boolean().optional() })
  .strict();

export const PermissionOption = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(200),
  /** ACP's kinds: allow_once, allow_always, reject_once, reject_always. */
  kind: z.string().max(50),
});
export type PermissionOption = z.infer<typeof PermissionOption>;

export const ToolStatus = z.enum(['pending', 'in_progress', 'completed', 'failed']);
export type ToolStatus = z.infer<typeof ToolStatus>;

export const PlanEntry = z.object({
  content: z.string(),
  status: z.enum(['pending', 'in_progress', 'completed']),
  priority: z.enum(['high', 'medium', 'low']).optional(),
});

/** What an agent did, as every backend maps its native stream to it. */
export const AgentEvent = z.discriminatedUnion('type', [
  /** A prompt the user sent to the session. */
  z.object({ type: z.literal('prompt'), text: z.string() }),
  z.object({ type: z.literal('message.delta'), text: z.string() }),
  z.object({ type: z.literal('reasoning.delta'), text: z.string() }),
  z.object({
    type: z.literal('tool.call'),
    toolCallId: z.string(),
    title: z.string(),
    /** ACP's tool kind: read, edit, delete, move, search, execute, think, fetch, other. */
    kind: z.string(),
    status: ToolStatus,
    input: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('tool.update'),
    toolCallId: z.string(),
    status: ToolStatus.optional(),
    title: z.string().optional(),
    /** Text output (a diff shown as unified text), capped. */
    output: z.string().optional(),
  }),
  z.object({
    type: z.literal('permission.request'),
    permissionId: Id,
    toolCallId: z.string().nullable(),
    title: z.string(),
    options: z.array(PermissionOption),
  }),
  z.object({
    type: z.literal('permission.resolved'),
    permissionId: Id,
    /** The option picked; null when the request was cancelled (run stopped, agent gone). */
    optionId: z.string().nullable(),
  }),
  z.object({ type: z.literal('plan'), entries: z.array(PlanEntry) }),
  z.object({
    type: z.literal('usage'),
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    costMicros: z.number().int().nonnegative().nullable(),
  }),
  /** Files the run changed in its worktree, queued as the pane's pending changes. */
  z.object({
    type: z.literal('changes'),
    paths: z.array(z.string()),
    /** What the run changed that was not queued, and why (binary, too large, already pending...). */
    skipped: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
  }),
  /** A turn ended: end_turn, cancelled, max_tokens, refusal... */
  z.object({ type: z.literal('done'), stopReason: z.string() }),
  /** The run failed: the reason, with the exit code and stderr tail when the process died. */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;

export const AgentStatus = z.enum(['starting', 'running', 'idle', 'failed', 'closed']);
export type AgentStatus = z.infer<typeof AgentStatus>;

/** What drives a session: an ACP agent, `opencode serve`, the Claude Agent SDK, a terminal. */
export const AgentBackendKind = z.enum(['acp', 'opencode', 'claude_sdk', 'pty']);
export type AgentBackendKind = z.infer<typeof AgentBackendKind>;

export const AgentSession = z.object({
  id: Id,
  /** The coder pane's chat: the agent's changes are queued under it. */
  chatId: Id,
  projectId: Id,
  provider: ProviderId,
  backend: AgentBackendKind,
  /** The session can be taken up again after coder restarts (Claude's, from PostgreSQL). */
  resumable: z.boolean(),
  mode: z.string().nullable(),
  model: z.string().nullable(),
  thinking: z.string().nullable(),
  status: AgentStatus,
  error: z.string().nullable(),
  /** The session's own git worktree of the project. */
  worktreePath: z.string(),
  /** The arena it is an entrant of: its changes stay in its worktree until it is picked. */
  arenaId: Id.nullable().optional(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
  lastSeq: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentSession = z.infer<typeof AgentSession>;

const Setting = z.string().min(1).max(300);
export const StartSessionBody = z.object({
  chatId: Id,
  provider: ProviderId,
  mode: Setting.optional(),
  model: Setting.optional(),
  thinking: Setting.optional(),
  /** The first prompt; none for a `pty` provider, whose CLI the user drives in a terminal. */
  prompt: z.string().trim().min(1).max(100_000).optional(),
});
export type StartSessionBody = z.infer<typeof StartSessionBody>;

/**
 * How booterm starts a `pty` session's CLI: written by coder to
 * `$BOOCODE_HOME/agents/pty/<sessionId>.json` (mode 0600: the env may hold the endpoint's key).
 */
export const PtyLaunchFile = z.object({
  sessionId: Id,
  label: z.string(),
  command: z.string().min(1),
  args: z.array(z.string()),
  env: EnvMap,
  /** The CLI's directory: the project's folder inside the session's worktree. */
  cwd: z.string().min(1),
  /** The tree the worktree started from, so a restarted coder can collect its changes again. */
  baseline: z.string().regex(/^[0-9a-f]{40,64}$/),
});
export type PtyLaunchFile = z.infer<typeof PtyLaunchFile>;
/** POST /api/coder/sessions/:id/sync: `ended` when the terminal's program exited (idle then). */
export const SyncSessionBody = z.object({ ended: z.boolean().default(false) }).strict();
export const SyncSessionReply = z.object({
  session: AgentSession,
  /** Paths queued as pending changes by this sync (relative to the project). */
  paths: z.array(z.string()),
});
export type SyncSessionReply = z.infer<typeof SyncSessionReply>;
export const PromptBody = z.object({ text: z.string().trim().min(1).max(100_000) });
export const AgentSessionParams = z.object({ sessionId: Id });
/** Without chatId: the newest sessions of every chat. */
export const SessionQuery = z.object({ chatId: Id.optional() });
export const AgentSessionReply = z.object({ session: AgentSession });
export const AgentSessionList = z.object({ sessions: z.array(AgentSession) });

/** One event of a session, numbered by a per-session seq (1, 2, ...). */
export const AgentFrame = z.object({
  sessionId: Id,
  seq: z.number().int().positive(),
  at: z.string(),
  event: AgentEvent,
});
export type AgentFrame = z.infer<typeof AgentFrame>;
export const AgentEventsQuery = z.object({
  afterSeq: z.coerce.number().int().nonnegative().default(0),
});
export const AgentEventList = z.object({ session: AgentSession, frames: z.array(AgentFrame) });
export type AgentEventList = z.infer<typeof AgentEventList>;

/** Frames on /api/coder/sessions/:id/ws: the session's frames after afterSeq, then live. */
export const AgentServerFrame = z.union([
  z.object({ type: z.literal('frame'), frame: AgentFrame }),
  z.object({ type: z.literal('session'), session: AgentSession }),
]);
export type AgentServerFrame = z.infer<typeof AgentServerFrame>;

/** A permission request waiting for the user, as the inbox lists it. */
/** What waits in the Inbox: an agent's permission request, or a question asked in free text. */
export const InboxPermission = z.object({
  kind: z.literal('permission'),
  permissionId: Id,
  sessionId: Id,
  chatId: Id,
  projectId: Id,
  provider: ProviderId,
  title: z.string(),
  options: z.array(PermissionOption),
  createdAt: z.string(),
});
export type InboxPermission = z.infer<typeof InboxPermission>;
export const InboxQuestion = Question.pick({
  asker: true,
  projectId: true,
  question: true,
  createdAt: true,
}).extend({ kind: z.literal('question'), questionId: Id });
export type InboxQuestion = z.infer<typeof InboxQuestion>;
export const InboxItem = z.discriminatedUnion('kind', [InboxPermission, InboxQuestion]);
export type InboxItem = z.infer<typeof InboxItem>;
export const InboxList = z.object({ items: z.array(InboxItem) });
export type InboxList = z.infer<typeof InboxList>;
export const PermissionParams = z.object({ permissionId: Id });
export const AnswerBody = z.object({ optionId: z.string().min(1).max(200) });
