import type { SessionUpdate, ToolCallContent } from '@agentclientprotocol/sdk';
import { unifiedDiff } from '@boocode/files';
import type { AgentEvent, ToolStatus } from '@boocode/protocol';
import { z } from 'zod';

const Tokens = z.number().int().nonnegative();
const MetaUsage = z.object({ inputTokens: Tokens, outputTokens: Tokens });

/** Tool output kept per update: a tool can print megabytes, the pane shows a tail of it. */
export const MAX_TOOL_OUTPUT = 16_000;

/**
 * One ACP `session/update` as our events. Pure: no state, so a replayed update maps the same.
 *
 * `usage_update` carries the context's fill and the session's cumulative cost, not a turn's
 * tokens: it becomes a `usage` event whose costMicros is that cumulative cost (null when not in
 * USD) and whose token counts are 0. Tokens come from a chunk's `_meta.usage` (qwen, per model
 * call) or from the prompt's reply (the backend's part).
 */
export function mapAcpUpdate(update: SessionUpdate): AgentEvent[] {
  switch (update.sessionUpdate) {
    case 'agent_message_chunk': {
      const events: AgentEvent[] = chunkText(update.content)
        ? [{ type: 'message.delta', text: update.content.text }]
        : [];
      // qwen reports each model call's tokens on an (empty) chunk's _meta.
      const usage = MetaUsage.safeParse(update._meta?.usage);
      if (usage.success) events.push({ type: 'usage', ...usage.data, costMicros: null });
      return events;
    }
    case 'agent_thought_chunk':
      return chunkText(update.content)
        ? [{ type: 'reasoning.delta', text: update.content.text }]
        : [];
    case 'tool_call': {
      const call: AgentEvent = {
        type: 'tool.call',
        toolCallId: update.toolCallId,
        title: update.title,
        kind: update.kind ?? 'other',
        status: update.status ?? 'pending',
        ...(update.rawInput === undefined ? {} : { input: update.rawInput }),
      };
      const output = contentText(update.content);
      return output === undefined
        ? [call]
        : [call, { type: 'tool.update', toolCallId: update.toolCallId, output }];
    }
    case 'tool_call_update': {
      const output = contentText(update.content);
      if (!update.status && !update.title && output === undefined) return [];
      const event: AgentEvent = {
        type: 'tool.update',
        toolCallId: update.toolCallId,
        ...(update.status ? { status: update.status satisfies ToolStatus } : {}),
        ...(update.title ? { title: update.title } : {}),
        ...(output === undefined ? {} : { output }),
      };
      return [event];
    }
    case 'plan':
      return [
        {
          type: 'plan',
          entries: update.entries.map((e) => ({
            content: e.content,
            status: e.status,
            priority: e.priority,
          })),
        },
      ];
    case 'usage_update': {
      const cost = update.cost;
      const costMicros =
        cost && cost.currency.toUpperCase() === 'USD' && Number.isFinite(cost.amount)
          ? Math.max(0, Math.round(cost.amount * 1_000_000))
          : null;
      return [{ type: 'usage', inputTokens: 0, outputTokens: 0, costMicros }];
    }
    default:
      // user_message_chunk (a replay), commands, modes, config, session info...: not a turn's events.
      return [];
  }
}

function chunkText(
  content: Extract<SessionUpdate, { sessionUpdate: 'agent_message_chunk' }>['content'],
): content is Extract<typeof content, { type: 'text' }> {
  return content.type === 'text' && content.text.length > 0;
}

/** Text and diffs of a tool's content as one text (diffs unified), capped to its tail. */
export function contentText(content: ToolCallContent[] | null | undefined): string | undefined {
  if (!content || content.length === 0) return undefined;
  const parts: string[] = [];
  for (const item of content) {
    if (item.type === 'content') {
      if (item.content.type === 'text') parts.push(item.content.text);
    } else if (item.type === 'diff') {
      parts.push(unifiedDiff(item.path, item.oldText ?? null, item.newText));
    }
    // 'terminal' content points at a terminal whose output the terminal methods carry.
  }
  if (parts.length === 0) return undefined;
  const text = parts.join('\n');
  return text.length > MAX_TOOL_OUTPUT ? text.slice(text.length - MAX_TOOL_OUTPUT) : text;
}
