import { z } from 'zod';

/**
 * What boocode reads of `opencode serve`'s events and replies (opencode 1.18.33, SDK v2 types):
 * only the fields it uses, the rest passed through. An event of another type, or one that does
 * not parse, is not ours to map and is dropped.
 */

const Id = z.string().min(1);
const Tokens = z.number().nonnegative();

const PartBase = { id: Id, sessionID: Id, messageID: Id };
const TextLike = z.object({
  ...PartBase,
  type: z.enum(['text', 'reasoning']),
  text: z.string(),
  synthetic: z.boolean().optional(),
  ignored: z.boolean().optional(),
  time: z.object({ start: z.number(), end: z.number().optional() }).optional(),
});
const ToolState = z.object({
  status: z.enum(['pending', 'running', 'completed', 'error']),
  input: z.record(z.string(), z.unknown()).optional(),
  title: z.string().optional(),
  output: z.string().optional(),
  error: z.string().optional(),
});
const ToolPart = z.object({
  ...PartBase,
  type: z.literal('tool'),
  callID: Id,
  tool: z.string(),
  state: ToolState,
});
/** Parts boocode does not show (step-start, step-finish, patch, snapshot, file, agent...). */
const OtherPart = z.object({ ...PartBase, type: z.string() });
export const Part = z.union([TextLike, ToolPart, OtherPart]);
export type Part = z.infer<typeof Part>;
export type TextLikePart = z.infer<typeof TextLike>;
export type ToolPart = z.infer<typeof ToolPart>;

const ErrorInfo = z.object({
  name: z.string(),
  data: z.object({ message: z.string().optional() }).passthrough().optional(),
});
export type ErrorInfo = z.infer<typeof ErrorInfo>;

export const MessageInfo = z.object({
  id: Id,
  sessionID: Id,
  role: z.enum(['user', 'assistant']),
  time: z.object({ created: z.number(), completed: z.number().optional() }),
  error: ErrorInfo.optional(),
  cost: z.number().nonnegative().optional(),
  tokens: z.object({ input: Tokens, output: Tokens, reasoning: Tokens.optional() }).optional(),
  finish: z.string().optional(),
});
export type MessageInfo = z.infer<typeof MessageInfo>;

export const MessageWithParts = z.object({ info: MessageInfo, parts: z.array(z.unknown()) });
export const MessageList = z.array(MessageWithParts);

export const PermissionAsked = z.object({
  id: Id,
  sessionID: Id,
  permission: z.string(),
  patterns: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()).optional(),
  tool: z.object({ messageID: z.string(), callID: z.string() }).optional(),
});
export type PermissionAsked = z.infer<typeof PermissionAsked>;
export const PermissionList = z.array(PermissionAsked);

export const Todo = z.object({ content: z.string(), status: z.string(), priority: z.string() });
export type Todo = z.infer<typeof Todo>;

export const SessionStatus = z.object({ type: z.string() }).passthrough();
export const StatusMap = z.record(z.string(), SessionStatus);

/** One event of `GET /event`, as the loop of one session takes it. */
export const OpencodeEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('server.connected'), properties: z.unknown().optional() }),
  z.object({
    type: z.literal('message.updated'),
    properties: z.object({ sessionID: Id, info: MessageInfo }),
  }),
  z.object({
    type: z.literal('message.part.updated'),
    properties: z.object({ sessionID: Id, part: z.unknown() }),
  }),
  z.object({
    type: z.literal('message.part.delta'),
    properties: z.object({
      sessionID: Id,
      messageID: Id,
      partID: Id,
      field: z.string(),
      delta: z.string(),
    }),
  }),
  z.object({ type: z.literal('permission.asked'), properties: PermissionAsked }),
  z.object({
    type: z.literal('todo.updated'),
    properties: z.object({ sessionID: Id, todos: z.array(Todo) }),
  }),
  z.object({
    type: z.literal('session.status'),
    properties: z.object({ sessionID: Id, status: SessionStatus }),
  }),
  z.object({ type: z.literal('session.idle'), properties: z.object({ sessionID: Id }) }),
  z.object({
    type: z.literal('session.error'),
    properties: z.object({ sessionID: Id.optional(), error: ErrorInfo.optional() }),
  }),
]);
export type OpencodeEvent = z.infer<typeof OpencodeEvent>;

/** The session an event belongs to; null for the server's own (connected, heartbeat...). */
export function eventSession(event: OpencodeEvent): string | null {
  if (event.type === 'server.connected') return null;
  return event.properties.sessionID ?? null;
}
