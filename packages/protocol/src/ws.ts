import { z } from 'zod';
import { Chat, CostMicros, Id, Message, MessageStatus, ModelCall, Part, Usage } from './chat.ts';
import { GraphProgress } from './graph.ts';
import { McpServerList } from './mcp.ts';

/** Frames the browser sends on /api/ws. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('chat.subscribe'),
    chatId: Id,
    afterSeq: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal('chat.unsubscribe'), chatId: Id }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

const seqd = { chatId: Id, seq: z.number().int().positive() };

/** Events of one chat, ordered by a per-chat `seq`; a client applies each seq once. */
export const ChatEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('chat.message.created'), ...seqd, message: Message }),
  z.object({ type: z.literal('chat.message.updated'), ...seqd, message: Message }),
  z.object({ type: z.literal('chat.message.deleted'), ...seqd, messageIds: z.array(Id) }),
  z.object({
    type: z.literal('chat.part.delta'),
    ...seqd,
    messageId: Id,
    /** Index of the part the text is appended to; equal to the part count for a new part. */
    index: z.number().int().nonnegative(),
    part: z.enum(['text', 'reasoning', 'error']),
    text: z.string(),
  }),
  /** A whole part appended to a message (tool calls and results). */
  z.object({
    type: z.literal('chat.part.added'),
    ...seqd,
    messageId: Id,
    index: z.number().int().nonnegative(),
    part: Part,
  }),
  /** A part replaced (a tool call's state moving on). */
  z.object({
    type: z.literal('chat.part.updated'),
    ...seqd,
    messageId: Id,
    index: z.number().int().nonnegative(),
    part: Part,
  }),
  z.object({
    type: z.literal('chat.message.finished'),
    ...seqd,
    messageId: Id,
    status: MessageStatus,
    usage: Usage.nullable(),
    calls: z.array(ModelCall),
    costMicros: CostMicros,
  }),
]);
export type ChatEvent = z.infer<typeof ChatEvent>;

/** Frames the server sends on /api/ws. */
export const ServerFrame = z.union([
  ChatEvent,
  /** The events after the client's seq are gone from memory: fetch a fresh snapshot. */
  z.object({ type: z.literal('chat.resync'), chatId: Id }),
  /** The chat list changed (created, renamed, deleted, touched). */
  z.object({ type: z.literal('chats.changed'), chat: Chat.nullable(), deletedId: Id.nullable() }),
  /** An MCP server's status or the server list changed: the whole list, as GET returns it. */
  z.object({ type: z.literal('mcp.changed'), ...McpServerList.shape }),
  /** A project's code graph is being built or refreshed, or has finished. */
  z.object({ type: z.literal('graph.progress'), ...GraphProgress.shape }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
