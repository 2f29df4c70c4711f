import type { Message } from '@boocode/protocol';
import { effectiveHistory, summaryBlock } from './compaction.ts';
import type { ChatTurn } from './model-client.ts';
import type { Toolbox } from './toolbox.ts';

type ToolCallTurn = { id: string; type: 'function'; function: { name: string; arguments: string } };

/**
 * The conversation as the endpoint takes it. An assistant message that used tools
 * becomes several turns: the assistant's text and calls, the tool results, and so on.
 * Reasoning and error parts are not sent back.
 */
export function toTurns(messages: Pick<Message, 'role' | 'parts'>[]): ChatTurn[] {
  const turns: ChatTurn[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant') {
      const content = m.parts.map((p) => (p.type === 'text' ? p.text : '')).join('');
      if (content) turns.push({ role: m.role, content });
      continue;
    }
    let text = '';
    let calls: ToolCallTurn[] = [];
    const flush = () => {
      if (!text && calls.length === 0) return;
      turns.push({
        role: 'assistant',
        content: text || null,
        ...(calls.length ? { tool_calls: calls } : {}),
      });
      text = '';
      calls = [];
    };
    const pendingCalls: string[] = [];
    for (const p of m.parts) {
      switch (p.type) {
        case 'text':
          if (calls.length) flush();
          text += p.text;
          break;
        case 'tool_call':
          calls.push({
            id: p.callId,
            type: 'function',
            function: { name: p.name, arguments: p.args },
          });
          pendingCalls.push(p.callId);
          break;
        case 'tool_result': {
          flush();
          turns.push({ role: 'tool', tool_call_id: p.callId, content: p.text });
          const i = pendingCalls.indexOf(p.callId);
          if (i >= 0) pendingCalls.splice(i, 1);
          break;
        }
        case 'reasoning':
        case 'error':
        case 'compaction':
          break;
      }
    }
    flush();
    // A call cut off before its result (a stopped reply) still needs an answer.
    for (const id of pendingCalls) {
      turns.push({ role: 'tool', tool_call_id: id, content: 'No result: the reply was stopped.' });
    }
  }
  return turns;
}

/** The turns the model gets: a system prompt (agent, tools, summary), then the conversation. */
export function contextTurns(
  messages: Pick<Message, 'id' | 'role' | 'status' | 'parts'>[],
  { agent, tools }: { agent: { systemPrompt: string } | null; tools: Toolbox | null },
): ChatTurn[] {
  const { summary, messages: kept } = effectiveHistory(messages);
  const system = [agent?.systemPrompt, tools?.system, summary ? summaryBlock(summary) : null]
    .filter(Boolean)
    .join('\n\n');
  const turns = toTurns(kept);
  return system ? [{ role: 'system', content: system }, ...turns] : turns;
}
