import { AppError, type CompactionPart, type Message } from '@boocode/protocol';
import type { ChatTurn } from './model-client.ts';
import type { ReplyRun } from './reply-run.ts';

/** User turns (with what followed each) that compaction keeps word for word. */
export const KEEP_TURNS = 2;
/** How much of an old tool result the summariser still sees. */
const PRUNED_TOOL_CHARS = 400;

export function compactionOf(m: Pick<Message, 'role' | 'status' | 'parts'>): CompactionPart | null {
  if (m.role !== 'system' || m.status !== 'complete') return null;
  const p = m.parts.find((x) => x.type === 'compaction');
  return p?.type === 'compaction' ? p : null;
}

/**
 * What the model sees of a chat: after the last compaction, its summary plus the
 * messages it kept and those that came after; before any, every message. System
 * messages (compaction markers, done or failed) are never sent as they are.
 */
export function effectiveHistory<M extends Pick<Message, 'id' | 'role' | 'status' | 'parts'>>(
  messages: M[],
): { summary: CompactionPart | null; messages: M[] } {
  let at = -1;
  let summary: CompactionPart | null = null;
  for (let i = messages.length - 1; i >= 0 && !summary; i--) {
    summary = compactionOf(messages[i]!);
    if (summary) at = i;
  }
  if (!summary) return { summary: null, messages: messages.filter((m) => m.role !== 'system') };
  const kept = summary.keptFrom ? messages.findIndex((m) => m.id === summary.keptFrom) : -1;
  const from = kept >= 0 && kept < at ? kept : at;
  return {
    summary,
    messages: [...messages.slice(from, at), ...messages.slice(at + 1)].filter(
      (m) => m.role !== 'system',
    ),
  };
}

export interface CompactionPlan {
  /** Messages the summary replaces, oldest first. */
  old: Message[];
  /** The first message kept verbatim. */
  keptFrom: string;
  previous: CompactionPart | null;
  summarised: number;
}

/** What to summarise: all but the last {@link KEEP_TURNS} user turns; null when that is nothing. */
export function planCompaction(all: Message[]): CompactionPlan | null {
  const { summary, messages } = effectiveHistory(all);
  const users = messages.flatMap((m, i) => (m.role === 'user' ? [i] : []));
  if (users.length <= KEEP_TURNS) return null;
  const keep = users[users.length - KEEP_TURNS]!;
  const old = messages.slice(0, keep);
  if (old.length === 0) return null;
  return {
    old,
    keptFrom: messages[keep]!.id,
    previous: summary,
    summarised: (summary?.summarised ?? 0) + old.length,
  };
}

/**
 * The old turns as a plain transcript for the summariser. Tool output is pruned
 * first, to its head: the summary needs what was looked at, not every byte of it.
 */
export function transcript(messages: Message[]): string {
  const out: string[] = [];
  for (const m of messages) {
    const who = m.role === 'user' ? 'User' : 'Assistant';
    for (const p of m.parts) {
      if (p.type === 'text' && p.text.trim()) out.push(`${who}: ${p.text.trim()}`);
      else if (p.type === 'tool_call') out.push(`Assistant called ${p.name}(${p.args})`);
      else if (p.type === 'tool_result') {
        const head = p.text.slice(0, PRUNED_TOOL_CHARS);
        const cut = p.text.length - head.length;
        out.push(
          `${p.name} ${p.ok ? 'returned' : 'failed'}: ${head}${cut > 0 ? ` [... ${cut} more characters pruned]` : ''}`,
        );
      }
    }
  }
  return out.join('\n\n');
}

const SUMMARY_SYSTEM =
  "You compact a conversation between a user and an AI assistant so that it can go on within a limited context window. Write a summary that the assistant will read instead of the conversation. Keep every fact the conversation established, the user's goals and preferences, decisions made and why, file paths, names of functions and other identifiers, numbers, errors met, and open questions or next steps. Leave out greetings and repetition. Write plain Markdown prose and lists. Do not call tools. Write only the summary.";

/** The request that asks the model for the summary. */
export function summaryTurns(plan: CompactionPlan): ChatTurn[] {
  const before = plan.previous
    ? `A summary of the conversation before this part:\n\n${plan.previous.summary}\n\n`
    : '';
  return [
    { role: 'system', content: SUMMARY_SYSTEM },
    {
      role: 'user',
      content: `${before}The conversation to summarise:\n\n${transcript(plan.old)}\n\nWrite the summary now.`,
    },
  ];
}

/** Why a summary cannot stand in for the conversation, or null when it can. */
export function rejectSummary(
  text: string,
  finishReason: string,
  toolCalls: number,
): string | null {
  if (toolCalls > 0) return 'the model called a tool instead of writing a summary';
  if (finishReason !== 'stop')
    return `the summary was cut off (the model stopped with "${finishReason}")`;
  const t = text.trim();
  if (!t) return 'the summary was empty';
  if (/^<\/?(think|thinking|reasoning|tool_call|function_call|tool)\b/i.test(t))
    return 'the summary is reasoning or tool-call text, not a summary';
  if (/^\{\s*"(name|tool|function|arguments|tool_calls)"\s*:/.test(t))
    return 'the summary is a tool call, not a summary';
  return null;
}

/** The system prompt's part that carries the summary. */
export function summaryBlock(summary: CompactionPart): string {
  return `The earlier part of this conversation was compacted. Its summary:\n\n${summary.summary}`;
}

/** A rough token count (4 characters each) for when the endpoint reports no usage. */
export function estimateTokens(turns: ChatTurn[]): number {
  let chars = 0;
  for (const t of turns) chars += JSON.stringify(t.content ?? '').length + 8;
  return Math.ceil(chars / 4);
}

/** A compaction in progress: what it replaces, for the marker it leaves. */
export interface CompactionOp {
  plan: CompactionPlan;
  auto: boolean;
  tokensBefore: number;
}

/**
 * The body of a compaction's run (see ReplyRun.execute): the model writes the
 * summary, which must stand up (see rejectSummary), and then stands alone as
 * the marker's one part. A rejected summary fails the run and changes nothing.
 */
export async function summarise(run: ReplyRun, op: CompactionOp): Promise<void> {
  const result = await run.step({ turns: summaryTurns(op.plan) });
  run.emitPending();
  const text = run.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
  const why = rejectSummary(text, result.finishReason, result.toolCalls.length);
  if (why) throw new AppError('bad_request', `Compaction failed: ${why}. The chat is unchanged.`);
  run.replaceParts([
    {
      type: 'compaction',
      summary: text.trim(),
      keptFrom: op.plan.keptFrom,
      summarised: op.plan.summarised,
      tokensBefore: op.tokensBefore,
      auto: op.auto,
    },
  ]);
}

/** How full the chat's context was: the last reply's reported use, else an estimate. */
export function tokensInUse(history: Message[], turns: () => ChatTurn[]): number {
  const last = history.findLast((m) => m.role === 'assistant' && m.calls.length);
  const call = last?.calls.at(-1);
  return call ? call.promptTokens + call.completionTokens : estimateTokens(turns());
}
