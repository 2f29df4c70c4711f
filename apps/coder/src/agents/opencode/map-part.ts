import type { AgentEvent, ToolStatus } from '@boocode/protocol';
import { MAX_TOOL_OUTPUT } from '../acp/map-update.ts';
import type { MessageInfo, Part, TextLikePart, Todo, ToolPart } from './wire.ts';

/**
 * What was already emitted of one opencode part, so a part seen again (its final update, or a
 * re-read of the session's messages after a reconnect) yields only what is missing.
 */
export interface PartMemo {
  kind: 'text' | 'reasoning' | 'tool' | 'other';
  /** Text (or reasoning) emitted so far. */
  emitted: string;
  /** The part ended: its text is complete, later deltas are stale. */
  final: boolean;
  /**
   * Seen in a re-read while still streaming: deltas of the new connection may overlap what the
   * re-read showed, so they are dropped and the part's final update fills in the rest.
   */
  resynced: boolean;
  /** A tool part: its call was announced, and its last status. */
  announced: boolean;
  status: ToolStatus | null;
}

const fresh = (kind: PartMemo['kind']): PartMemo => ({
  kind,
  emitted: '',
  final: false,
  resynced: false,
  announced: false,
  status: null,
});

export interface Mapped {
  events: AgentEvent[];
  memo: PartMemo;
}

/**
 * One opencode part (from `message.part.updated`, or from a re-read with `reread`) as events,
 * given what was emitted of it before. Pure: the caller keeps the returned memo.
 */
export function mapPart(part: Part, memo: PartMemo | undefined, reread = false): Mapped {
  if (isTextLike(part)) return mapText(part, memo ?? fresh(part.type), reread);
  if (isTool(part)) return mapTool(part, memo ?? fresh('tool'));
  const prev = memo ?? fresh('other');
  // step-start/-finish (usage comes from the message), patch (the session syncs the worktree
  // itself), snapshot, file, agent, retry, compaction: nothing to show.
  return { events: [], memo: prev };
}

/** A streamed piece of a part's text. Dropped when the part is unknown, ended or resynced. */
export function mapDelta(
  delta: { field: string; delta: string },
  memo: PartMemo | undefined,
): Mapped | null {
  if (!memo) return null;
  const { kind } = memo;
  if (kind === 'tool' || kind === 'other') return { events: [], memo };
  if (memo.final || memo.resynced || delta.field !== 'text' || !delta.delta) {
    return { events: [], memo };
  }
  const prev = memo;
  return {
    events: [textEvent(kind, delta.delta)],
    memo: { ...prev, emitted: prev.emitted + delta.delta },
  };
}

function mapText(part: TextLikePart, prev: PartMemo, reread: boolean): Mapped {
  const ended = part.time?.end !== undefined;
  const memo: PartMemo = {
    ...prev,
    final: prev.final || ended,
    resynced: prev.resynced || (reread && !ended),
  };
  if (part.ignored || part.synthetic) return { events: [], memo };
  // Only what extends the emitted text; a shorter copy (a re-read behind the live stream) adds
  // nothing, and a text that diverged cannot be fixed by a delta.
  if (part.text.length <= prev.emitted.length || !part.text.startsWith(prev.emitted)) {
    return { events: [], memo };
  }
  const rest = part.text.slice(prev.emitted.length);
  return { events: [textEvent(part.type, rest)], memo: { ...memo, emitted: part.text } };
}

function textEvent(kind: 'text' | 'reasoning', text: string): AgentEvent {
  return kind === 'text' ? { type: 'message.delta', text } : { type: 'reasoning.delta', text };
}

const STATUS: Record<ToolPart['state']['status'], ToolStatus> = {
  pending: 'pending',
  running: 'in_progress',
  completed: 'completed',
  error: 'failed',
};

function mapTool(part: ToolPart, prev: PartMemo): Mapped {
  const { state } = part;
  const status = STATUS[state.status];
  // A pending call has no input yet: it is announced once it runs (or ends), with its input.
  if (status === 'pending' || (prev.announced && prev.status === status)) {
    return { events: [], memo: prev };
  }
  const memo: PartMemo = { ...prev, announced: true, status };
  const output = toolOutput(state);
  const update: AgentEvent = {
    type: 'tool.update',
    toolCallId: part.callID,
    status,
    ...(state.title ? { title: state.title } : {}),
    ...(output === undefined ? {} : { output }),
  };
  if (prev.announced) return { events: [update], memo };
  const call: AgentEvent = {
    type: 'tool.call',
    toolCallId: part.callID,
    title: state.title || part.tool,
    kind: toolKind(part.tool),
    status,
    ...(state.input === undefined ? {} : { input: state.input }),
  };
  return { events: output === undefined ? [call] : [call, update], memo };
}

function toolOutput(state: ToolPart['state']): string | undefined {
  const text = state.status === 'error' ? state.error : state.output;
  if (text === undefined) return undefined;
  return text.length > MAX_TOOL_OUTPUT ? text.slice(text.length - MAX_TOOL_OUTPUT) : text;
}

/** opencode's tool names as ACP's tool kinds. */
export function toolKind(tool: string): string {
  switch (tool) {
    case 'write':
    case 'edit':
    case 'patch':
    case 'multiedit':
      return 'edit';
    case 'bash':
      return 'execute';
    case 'read':
      return 'read';
    case 'grep':
    case 'glob':
    case 'list':
    case 'codesearch':
      return 'search';
    case 'webfetch':
    case 'websearch':
      return 'fetch';
    case 'todowrite':
    case 'todoread':
      return 'think';
    default:
      return 'other';
  }
}

/**
 * A finished assistant message's tokens and cost (USD) as a usage event; null while it runs.
 * Reasoning tokens are billed as output, so they count as output here.
 */
export function mapUsage(info: MessageInfo): AgentEvent | null {
  if (info.role !== 'assistant' || info.time.completed === undefined) return null;
  const tokens = info.tokens ?? { input: 0, output: 0, reasoning: 0 };
  return {
    type: 'usage',
    inputTokens: Math.round(tokens.input),
    outputTokens: Math.round(tokens.output + (tokens.reasoning ?? 0)),
    costMicros: Math.max(0, Math.round((info.cost ?? 0) * 1_000_000)),
  };
}

const PLAN_STATUS: Record<string, 'pending' | 'in_progress' | 'completed'> = {
  pending: 'pending',
  in_progress: 'in_progress',
  completed: 'completed',
  // A dropped item is done with, as far as the plan's progress goes.
  cancelled: 'completed',
};

/** opencode's todo list as a plan. */
export function mapTodos(todos: Todo[]): AgentEvent {
  return {
    type: 'plan',
    entries: todos.map((t) => {
      const priority = t.priority;
      return {
        content: t.content,
        status: PLAN_STATUS[t.status] ?? 'pending',
        ...(priority === 'high' || priority === 'medium' || priority === 'low' ? { priority } : {}),
      };
    }),
  };
}

function isTextLike(part: Part): part is TextLikePart {
  return (part.type === 'text' || part.type === 'reasoning') && 'text' in part;
}

function isTool(part: Part): part is ToolPart {
  return part.type === 'tool' && 'state' in part;
}
