import { randomUUID } from 'node:crypto';
import type { Message, MessageStatus, ModelCall, Part, Role, Usage } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface MessageRow {
  id: string;
  chatId: string;
  position: number;
  role: Role;
  status: MessageStatus;
  parts: Part[];
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  modelCalls: ModelCall[];
  costMicros: string | null;
  createdAt: Date;
}

function toMessage(r: MessageRow): Message {
  return {
    id: r.id,
    chatId: r.chatId,
    position: r.position,
    role: r.role,
    status: r.status,
    parts: r.parts,
    model: r.model,
    usage:
      r.promptTokens === null || r.completionTokens === null
        ? null
        : { promptTokens: r.promptTokens, completionTokens: r.completionTokens },
    calls: r.modelCalls,
    costMicros: r.costMicros === null ? null : Number(r.costMicros),
    createdAt: r.createdAt.toISOString(),
  };
}

export async function listMessages(sql: Queryable, chatId: string): Promise<Message[]> {
  const rows = await sql<MessageRow[]>`
    select * from messages where chat_id = ${chatId} order by position`;
  return rows.map(toMessage);
}

/**
 * The newest `limit` messages before `before` (all when null), oldest first, and
 * whether older ones exist.
 */
export async function pageMessages(
  sql: Queryable,
  chatId: string,
  opts: { before: number | null; limit: number },
): Promise<{ messages: Message[]; hasMore: boolean }> {
  const rows = await sql<MessageRow[]>`
    select * from messages
    where chat_id = ${chatId} ${opts.before === null ? sql`` : sql`and position < ${opts.before}`}
    order by position desc limit ${opts.limit + 1}`;
  const hasMore = rows.length > opts.limit;
  return { messages: rows.slice(0, opts.limit).reverse().map(toMessage), hasMore };
}

export async function getMessage(sql: Queryable, id: string): Promise<Message | null> {
  const [row] = await sql<MessageRow[]>`select * from messages where id = ${id}`;
  return row ? toMessage(row) : null;
}

/** Appends a message at the end of the chat. */
export async function appendMessage(
  sql: Queryable,
  input: {
    id?: string;
    chatId: string;
    role: Role;
    status: MessageStatus;
    parts: Part[];
    model: string | null;
  },
): Promise<Message> {
  const [row] = await sql<MessageRow[]>`
    insert into messages (id, chat_id, position, role, status, parts, model)
    values (
      ${input.id ?? randomUUID()},
      ${input.chatId},
      (select coalesce(max(position) + 1, 0) from messages where chat_id = ${input.chatId}),
      ${input.role}, ${input.status}, ${sql.json(input.parts)}, ${input.model})
    returning *`;
  return toMessage(row!);
}

export async function saveMessage(
  sql: Queryable,
  id: string,
  state: {
    parts: Part[];
    status: MessageStatus;
    usage: Usage | null;
    calls?: ModelCall[];
    costMicros?: number | null;
  },
): Promise<void> {
  await sql`
    update messages set
      parts = ${sql.json(state.parts)},
      status = ${state.status},
      model_calls = ${sql.json(state.calls ?? [])},
      cost_micros = ${state.costMicros ?? null},
      prompt_tokens = ${state.usage?.promptTokens ?? null},
      completion_tokens = ${state.usage?.completionTokens ?? null}
    where id = ${id}`;
}

/** Deletes the messages at `position` and after; returns their ids. */
export async function deleteMessagesFrom(
  sql: Queryable,
  chatId: string,
  position: number,
): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    delete from messages where chat_id = ${chatId} and position >= ${position} returning id`;
  return rows.map((r) => r.id);
}

/** Far more events than one unwritten batch can hold. */
export const SEQ_JUMP_AFTER_CRASH = 1_000_000;

/** After a restart no generation is running: what was streaming is kept, marked interrupted. */
export async function markStreamingInterrupted(sql: Queryable): Promise<number> {
  const rows = await sql<{ chatId: string }[]>`
    update messages set status = 'interrupted' where status = 'streaming' returning chat_id`;
  if (rows.length === 0) return 0;
  // Move the chats' seq far on. A page that saw events the crash kept from the
  // database (up to one batch) holds a seq above last_seq; it must still land
  // below the new seq, or the page would think it is up to date and never resync.
  const chatIds = [...new Set(rows.map((r) => r.chatId))];
  await sql`update chats set last_seq = last_seq + ${SEQ_JUMP_AFTER_CRASH} where id = any(${chatIds}::uuid[])`;
  return rows.length;
}

/**
 * Copies the messages of `fromChatId` up to `position` into `toChatId` (new ids,
 * same order). A copy of a reply still being written is marked stopped.
 */
export async function copyMessagesUpTo(
  sql: Queryable,
  fromChatId: string,
  toChatId: string,
  position: number,
): Promise<number> {
  const rows = await sql`
    insert into messages (chat_id, position, role, status, parts, model, prompt_tokens,
                          completion_tokens, model_calls, cost_micros, created_at)
    select ${toChatId}, position, role,
           case when status = 'streaming' then 'stopped' else status end,
           parts, model, prompt_tokens, completion_tokens, model_calls, cost_micros, created_at
    from messages where chat_id = ${fromChatId} and position <= ${position}
    returning id`;
  return rows.length;
}
