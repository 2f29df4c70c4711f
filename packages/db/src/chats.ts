import type { Chat, ChatKind } from '@boocode/protocol';
import type { Queryable } from './sql.ts';

interface ChatRow {
  id: string;
  title: string;
  model: string | null;
  projectId: string | null;
  agentId: string | null;
  kind: ChatKind;
  autoApply: boolean;
  lastSeq: string;
  promptTokens: string;
  completionTokens: string;
  costMicros: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface ChatWithSeq extends Chat {
  lastSeq: number;
}

function toChat(r: ChatRow): ChatWithSeq {
  return {
    id: r.id,
    title: r.title,
    model: r.model,
    projectId: r.projectId,
    agentId: r.agentId,
    kind: r.kind,
    autoApply: r.autoApply,
    usage: {
      promptTokens: Number(r.promptTokens),
      completionTokens: Number(r.completionTokens),
      costMicros: Number(r.costMicros),
    },
    lastSeq: Number(r.lastSeq),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function publicChat({ lastSeq: _, ...chat }: ChatWithSeq): Chat {
  return chat;
}

export async function createChat(
  sql: Queryable,
  input: {
    title: string;
    model: string | null;
    projectId?: string | null;
    agentId?: string | null;
    kind?: ChatKind;
  },
): Promise<ChatWithSeq> {
  const [row] = await sql<ChatRow[]>`
    insert into chats (title, model, project_id, agent_id, kind)
    values (${input.title}, ${input.model}, ${input.projectId ?? null}, ${input.agentId ?? null},
      ${input.kind ?? 'chat'})
    returning *`;
  return toChat(row!);
}

export async function getChat(sql: Queryable, id: string): Promise<ChatWithSeq | null> {
  const [row] = await sql<ChatRow[]>`select * from chats where id = ${id}`;
  return row ? toChat(row) : null;
}

/** Text around a search's match in a chat's messages; the chat's title did not match. */
export type ChatMatches = Map<string, string>;

/** How much of a message shows around a match, before it and in all. */
const SNIPPET_BEFORE = 24;
const SNIPPET_LENGTH = 110;

/**
 * Most recently active first (a message sent or received); `q` matches the title or any
 * message text, case-insensitively. For a chat found by its messages only, `matches` has the
 * text around the match in the newest such message.
 */
export async function listChats(
  sql: Queryable,
  q?: string,
): Promise<{ chats: ChatWithSeq[]; matches: ChatMatches }> {
  const term = q?.trim();
  if (!term) {
    const rows = await sql<ChatRow[]>`
      select * from chats where kind = 'chat' order by active_at desc limit 500`;
    return { chats: rows.map(toChat), matches: new Map() };
  }
  const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = await sql<
    (ChatRow & { match: string | null; cutBefore: boolean; cutAfter: boolean })[]
  >`
    select c.*, m.match, m.cut_before, m.cut_after from chats c
    left join lateral (
      select substr(s.t, s.start, ${SNIPPET_LENGTH}) as match, s.start > 1 as cut_before,
        length(s.t) >= s.start + ${SNIPPET_LENGTH} as cut_after
      from (
        select p ->> 'text' as t,
          greatest(1, strpos(lower(p ->> 'text'), lower(${term})) - ${SNIPPET_BEFORE}) as start
        from messages m, jsonb_array_elements(m.parts) p
        where m.chat_id = c.id and p ->> 'type' = 'text' and p ->> 'text' ilike ${like}
        order by m.position desc limit 1
      ) s
    ) m on c.title not ilike ${like}
    where c.kind = 'chat' and (c.title ilike ${like} or m.match is not null)
    order by c.active_at desc limit 500`;
  const matches: ChatMatches = new Map();
  for (const r of rows) {
    if (r.match === null) continue;
    // The text as written (Markdown marks too): what the search matched, so the term is in it.
    let text = r.match.replace(/\s+/g, ' ').trim();
    // Whole words only at a cut end, as long as the match stays in.
    const whole = text
      .replace(r.cutBefore ? /^\S{1,30} / : /^/, '')
      .replace(r.cutAfter ? / \S{1,30}$/ : /$/, '');
    if (whole.toLowerCase().includes(term.toLowerCase())) text = whole;
    matches.set(r.id, `${r.cutBefore ? '…' : ''}${text}${r.cutAfter ? '…' : ''}`);
  }
  return { chats: rows.map(toChat), matches };
}

export async function updateChat(
  sql: Queryable,
  id: string,
  patch: { title?: string; model?: string; projectId?: string | null; seq?: number },
): Promise<ChatWithSeq | null> {
  const [row] = await sql<ChatRow[]>`
    update chats set
      title = coalesce(${patch.title ?? null}, title),
      model = coalesce(${patch.model ?? null}, model),
      project_id = ${patch.projectId === undefined ? sql`project_id` : patch.projectId},
      last_seq = greatest(last_seq, ${patch.seq ?? 0}),
      active_at = ${patch.seq === undefined ? sql`active_at` : sql`now()`},
      updated_at = now()
    where id = ${id} returning *`;
  return row ? toChat(row) : null;
}

export async function deleteChat(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`delete from chats where id = ${id} returning id`;
  return rows.length > 0;
}

/** Records that the rows of the chat now reflect its event stream up to `seq`. */
export async function setChatSeq(sql: Queryable, id: string, seq: number): Promise<void> {
  await sql`update chats set last_seq = greatest(last_seq, ${seq}), active_at = now(), updated_at = now()
    where id = ${id}`;
}

/** Adds a finished reply's use to the chat's totals. */
export async function addChatUsage(
  sql: Queryable,
  id: string,
  use: { promptTokens: number; completionTokens: number; costMicros: number },
): Promise<ChatWithSeq | null> {
  const [row] = await sql<ChatRow[]>`
    update chats set
      prompt_tokens = prompt_tokens + ${use.promptTokens},
      completion_tokens = completion_tokens + ${use.completionTokens},
      cost_micros = cost_micros + ${use.costMicros},
      updated_at = now()
    where id = ${id} returning *`;
  return row ? toChat(row) : null;
}

/** Lets a coder chat's agent apply its own changes and rewind, or not. */
export async function setAutoApply(
  sql: Queryable,
  id: string,
  autoApply: boolean,
): Promise<ChatWithSeq | null> {
  const [row] = await sql<ChatRow[]>`
    update chats set auto_apply = ${autoApply}, updated_at = now() where id = ${id} returning *`;
  return row ? toChat(row) : null;
}
