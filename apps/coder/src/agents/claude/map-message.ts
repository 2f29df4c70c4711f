import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import type { AgentEvent } from '@boocode/protocol';
import { MAX_TOOL_OUTPUT } from '../acp/map-update.ts';

/** What mapping needs to remember between messages of one session. */
export interface MapState {
  /** Ids of the model messages whose text came as partial deltas (their full copy is skipped). */
  readonly streamed: readonly string[];
  /** The model message the partial deltas belong to. */
  readonly current: string | null;
  /**
   * The running total in USD of the live query, as its last result reported it (each result
   * carries the query's total so far); 0 for a new query.
   */
  readonly costUsd: number;
}

export const initialMapState = (): MapState => ({ streamed: [], current: null, costUsd: 0 });

/** How many streamed message ids are kept: a message's full copy follows its deltas closely. */
const KEEP_STREAMED = 64;

type Block = { type: string; [key: string]: unknown };

/**
 * One SDK message as our events, and the state for the next. Pure. Text and thinking stream as
 * partial deltas (`includePartialMessages`); the full assistant message that follows repeats
 * them and adds only its tool calls, unless its text never streamed. A subagent's own text
 * (`parent_tool_use_id` set) is not the session's reply; its tool calls are shown. The `result`
 * of a turn becomes a `usage` event: that turn's tokens and the cost it added. `done` is the
 * session's own.
 */
export function mapSdkMessage(
  msg: SDKMessage,
  state: MapState,
): { events: AgentEvent[]; state: MapState } {
  switch (msg.type) {
    case 'stream_event': {
      if (msg.parent_tool_use_id !== null) return { events: [], state };
      const event = msg.event;
      if (event.type === 'message_start')
        return { events: [], state: { ...state, current: event.message.id } };
      if (event.type !== 'content_block_delta') return { events: [], state };
      const delta = event.delta;
      const text =
        delta.type === 'text_delta'
          ? ({ type: 'message.delta', text: delta.text } as const)
          : delta.type === 'thinking_delta'
            ? ({ type: 'reasoning.delta', text: delta.thinking } as const)
            : null;
      if (!text || text.text.length === 0) return { events: [], state };
      return { events: [text], state: markStreamed(state) };
    }
    case 'assistant': {
      const events: AgentEvent[] = [];
      const sub = msg.parent_tool_use_id !== null;
      const streamed = state.streamed.includes(msg.message.id);
      for (const block of msg.message.content as unknown as Block[]) {
        if (block.type === 'tool_use') {
          events.push(toolCall(block));
        } else if (!sub && !streamed && block.type === 'text' && typeof block.text === 'string') {
          if (block.text) events.push({ type: 'message.delta', text: block.text });
        } else if (!sub && !streamed && block.type === 'thinking') {
          if (typeof block.thinking === 'string' && block.thinking)
            events.push({ type: 'reasoning.delta', text: block.thinking });
        }
      }
      return { events, state };
    }
    case 'user': {
      const content = msg.message.content;
      if (typeof content === 'string') return { events: [], state };
      const events: AgentEvent[] = [];
      for (const block of content as unknown as Block[]) {
        if (block.type !== 'tool_result' || typeof block.tool_use_id !== 'string') continue;
        const output = resultText(block.content);
        events.push({
          type: 'tool.update',
          toolCallId: block.tool_use_id,
          status: block.is_error === true ? 'failed' : 'completed',
          ...(output === undefined ? {} : { output }),
        });
      }
      return { events, state };
    }
    case 'result': {
      const u = msg.usage;
      const total = msg.total_cost_usd;
      let costMicros: number | null = null;
      if (Number.isFinite(total)) {
        // A total below the last one is a counter that started again.
        const added = total >= state.costUsd ? total - state.costUsd : total;
        costMicros = Math.max(0, Math.round(added * 1_000_000));
      }
      const usage: AgentEvent = {
        type: 'usage',
        inputTokens:
          u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0),
        outputTokens: u.output_tokens,
        costMicros,
      };
      const costUsd = Number.isFinite(total) ? total : state.costUsd;
      return { events: [usage], state: { ...state, costUsd, current: null } };
    }
    case 'system':
      // The store refused a batch three times: the transcript in PostgreSQL has a hole, and the
      // session may not resume after a restart. Worth saying; the turn goes on.
      if (msg.subtype === 'mirror_error')
        return {
          events: [{ type: 'error', message: `The transcript was not saved: ${msg.error}` }],
          state,
        };
      return { events: [], state };
    default:
      // hooks, task progress, tool summaries...: not a turn's events.
      return { events: [], state };
  }
}

/**
 * The running total a resumed query starts from: the CLI carries on from the last `cost-state`
 * entry of the transcript it resumes (written when its previous process ended), 0 without one.
 */
export function savedTotalUsd(
  entries: readonly { type: string; [k: string]: unknown }[] | null,
): number {
  const saved = entries?.findLast((e) => e.type === 'cost-state')?.totalCostUSD;
  return typeof saved === 'number' && Number.isFinite(saved) ? saved : 0;
}

function markStreamed(state: MapState): MapState {
  const id = state.current;
  if (id === null || state.streamed.includes(id)) return state;
  return { ...state, streamed: [...state.streamed, id].slice(-KEEP_STREAMED) };
}

/** ACP's tool kinds for Claude's tools. */
const KINDS: Record<string, string> = {
  Read: 'read',
  Write: 'edit',
  Edit: 'edit',
  MultiEdit: 'edit',
  NotebookEdit: 'edit',
  Bash: 'execute',
  Grep: 'search',
  Glob: 'search',
  WebFetch: 'fetch',
  WebSearch: 'fetch',
  Task: 'think',
  TodoWrite: 'think',
};

function toolCall(block: Block): AgentEvent {
  const name = typeof block.name === 'string' ? block.name : 'tool';
  const input = (block.input ?? {}) as Record<string, unknown>;
  const subject = [
    input.file_path,
    input.command,
    input.pattern,
    input.url,
    input.description,
  ].find((v): v is string => typeof v === 'string' && v.length > 0);
  return {
    type: 'tool.call',
    toolCallId: String(block.id),
    title: subject ? `${name} ${subject}` : name,
    kind: KINDS[name] ?? 'other',
    status: 'pending',
    input,
  };
}

/** A tool result's text (a string or text blocks), capped to its tail. */
function resultText(content: unknown): string | undefined {
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? (content as Block[])
            .map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : ''))
            .join('')
        : '';
  if (!text) return undefined;
  return text.length > MAX_TOOL_OUTPUT ? text.slice(text.length - MAX_TOOL_OUTPUT) : text;
}
