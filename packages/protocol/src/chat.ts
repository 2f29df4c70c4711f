import { z } from 'zod';

export const Id = z.uuid();

export const TextPart = z.object({ type: z.literal('text'), text: z.string() });
export const ReasoningPart = z.object({ type: z.literal('reasoning'), text: z.string() });
export const ErrorPart = z.object({ type: z.literal('error'), text: z.string() });
/** A tool the model called; `args` is the JSON text the model wrote. */
export const ToolCallPart = z.object({
  type: z.literal('tool_call'),
  callId: z.string(),
  name: z.string(),
  args: z.string(),
  state: z.enum(['running', 'done', 'error']),
  /** Boomerang: the agent session a `dispatch` call started, once it exists (for the task tree). */
  subtask: z.object({ sessionId: Id, chatId: Id, projectId: Id, provider: z.string() }).optional(),
});
/**
 * Where a chat was compacted: the messages before `keptFrom` (and any earlier summary) are
 * replaced, in what the model sees, by `summary`. The messages themselves stay.
 */
export const CompactionPart = z.object({
  type: z.literal('compaction'),
  summary: z.string(),
  /** The first message kept verbatim; null: none. */
  keptFrom: z.uuid().nullable(),
  /** How many messages the summary stands for (earlier summaries included). */
  summarised: z.number().int().nonnegative(),
  /** The context's size before, in tokens (as last reported, or estimated). */
  tokensBefore: z.number().int().nonnegative(),
  /** Started by the chat nearing its context window, not by the user. */
  auto: z.boolean(),
});
export type CompactionPart = z.infer<typeof CompactionPart>;
/** What the tool gave back to the model (or its error, `ok: false`). */
export const ToolResultPart = z.object({
  type: z.literal('tool_result'),
  callId: z.string(),
  name: z.string(),
  ok: z.boolean(),
  text: z.string(),
  /** Prompt tokens this result added to the next model call, when the endpoint reports usage. */
  tokens: z.number().int().nonnegative().nullable().optional(),
  /** Images the tool gave back (an MCP tool), base64, shown with the result. */
  images: z
    .array(z.object({ mimeType: z.string().regex(/^image\/[\w.+-]+$/), data: z.base64() }))
    .optional(),
});
export const Part = z.discriminatedUnion('type', [
  TextPart,
  ReasoningPart,
  ErrorPart,
  ToolCallPart,
  ToolResultPart,
  CompactionPart,
]);
export type Part = z.infer<typeof Part>;
export type PartType = Part['type'];
export type ToolCallPart = z.infer<typeof ToolCallPart>;
export type ToolResultPart = z.infer<typeof ToolResultPart>;
/** The parts that grow by text deltas. */
export type TextualPart = Extract<Part, { type: 'text' | 'reasoning' | 'error' }>;

export const Role = z.enum(['user', 'assistant', 'system']);
export type Role = z.infer<typeof Role>;

/** streaming: being written; the other states are final. */
export const MessageStatus = z.enum(['streaming', 'complete', 'stopped', 'interrupted', 'error']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** Money is integer micro-dollars (1e-6 USD), never a float; null when the model has no price. */
export const CostMicros = z.number().int().nonnegative().nullable();

/** One request to the model within a reply (a tool loop makes several). */
export const ModelCall = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costMicros: CostMicros,
});
export type ModelCall = z.infer<typeof ModelCall>;

/** What a chat has used in all: every reply ever made in it, kept when a reply is replaced. */
export const ChatUsage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costMicros: z.number().int().nonnegative(),
});
export type ChatUsage = z.infer<typeof ChatUsage>;

export const Message = z.object({
  id: Id,
  chatId: Id,
  position: z.number().int().nonnegative(),
  role: Role,
  status: MessageStatus,
  parts: z.array(Part),
  model: z.string().nullable(),
  usage: Usage.nullable(),
  /** The model calls of this reply, in order, with their cost. */
  calls: z.array(ModelCall),
  costMicros: CostMicros,
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

/** A plain chat, or a coder pane's chat (write tools queue changes for review). */
export const ChatKind = z.enum(['chat', 'coder']);
export type ChatKind = z.infer<typeof ChatKind>;

export const Chat = z.object({
  id: Id,
  title: z.string(),
  model: z.string().nullable(),
  /** The project whose files the chat's tools read; null: no tools. */
  projectId: Id.nullable(),
  /** The agent the chat was started with (its system prompt, tools and model); null: none. */
  agentId: z.string().nullable(),
  /** 'coder': a coder pane's chat, with the write tools (BooCoder). */
  kind: ChatKind,
  /** Coder chats: the agent may apply its changes and rewind on its own. */
  autoApply: z.boolean(),
  usage: ChatUsage,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Chat = z.infer<typeof Chat>;

/**
 * A chat and its newest messages as of `seq`: subscribe with `afterSeq: seq` to go on
 * from here. `hasMore` says older messages exist; fetch them a page at a time.
 */
export const ChatSnapshot = z.object({
  chat: Chat,
  messages: z.array(Message),
  seq: z.number().int().nonnegative(),
  running: z.boolean(),
  hasMore: z.boolean(),
});
export type ChatSnapshot = z.infer<typeof ChatSnapshot>;

export const ModelInfo = z.object({
  id: z.string(),
  contextLength: z.number().int().positive().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const ModelList = z.object({ models: z.array(ModelInfo), error: z.string().nullable() });
export type ModelList = z.infer<typeof ModelList>;

/** The longest title a chat or terminal takes (the web's inputs stop there too). */
export const TITLE_MAX = 200;
const Title = z.string().trim().min(1, 'title must not be empty').max(TITLE_MAX);
const Content = z.string().trim().min(1, 'message must not be empty').max(1_000_000);
const ModelName = z.string().min(1).max(300);

export const CreateChatBody = z.object({
  title: Title.optional(),
  model: ModelName.optional(),
  projectId: Id.optional(),
  agentId: z.string().min(1).max(200).optional(),
});
export const UpdateChatBody = z
  .object({
    title: Title.optional(),
    model: ModelName.optional(),
    projectId: Id.nullable().optional(),
  })
  .refine(
    (b) => b.title !== undefined || b.model !== undefined || b.projectId !== undefined,
    'nothing to update',
  );
export const SendBody = z.object({ content: Content, model: ModelName.optional() });
export const EditBody = z.object({ content: Content, model: ModelName.optional() });
export const RegenerateBody = z.object({ model: ModelName.optional() });
export const ChatListQuery = z.object({ q: z.string().max(200).optional() });
export const SnapshotQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export const MessagePageQuery = z.object({
  before: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
/** Older messages, oldest first, ending just before the `before` position. */
export const MessagePage = z.object({ messages: z.array(Message), hasMore: z.boolean() });
export type MessagePage = z.infer<typeof MessagePage>;
export const ChatParams = z.object({ chatId: Id });
export const MessageParams = z.object({ chatId: Id, messageId: Id });

/**
 * Chats, most recently active first; `running`: those whose reply is being written now.
 * `matches` (a search): for a chat found by its messages, not its title, the text around the
 * match, with `…` where it was cut.
 */
export const ChatList = z.object({
  chats: z.array(Chat),
  running: z.array(Id),
  matches: z.record(Id, z.string()),
});
export type ChatList = z.infer<typeof ChatList>;
export const Accepted = z.object({ messageId: Id });

export const Project = z.object({
  id: Id,
  name: z.string(),
  path: z.string(),
  createdAt: z.string(),
});
export type Project = z.infer<typeof Project>;
export const ProjectList = z.object({ projects: z.array(Project) });
export const AddProjectBody = z.object({
  path: z.string().trim().min(1, 'path must not be empty').max(4096),
});
export const ProjectParams = z.object({ projectId: Id });
export const GrantParams = z.object({ chatId: Id, projectId: Id });
/** The projects a chat may read besides its own. */
export const GrantList = z.object({ projectIds: z.array(Id) });

export const ForkBody = z.object({ messageId: Id });
export const ExportQuery = z.object({ format: z.enum(['markdown', 'json']).default('markdown') });
