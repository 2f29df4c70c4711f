import type { Message } from './chat.ts';
import type { ChatEvent } from './ws.ts';
import { unreachable } from './unreachable.ts';

/**
 * Folds one chat event into a message list. Shared by the server (run state)
 * and the browser (view state) so both agree on what a seq means.
 */
export function applyChatEvent(messages: Message[], ev: ChatEvent): Message[] {
  switch (ev.type) {
    case 'chat.message.created':
      return [...messages.filter((m) => m.id !== ev.message.id), ev.message].sort(
        (a, b) => a.position - b.position,
      );
    case 'chat.message.updated':
      return replace(messages, ev.message.id, () => ev.message);
    case 'chat.message.deleted': {
      const gone = new Set(ev.messageIds);
      return messages.filter((m) => !gone.has(m.id));
    }
    case 'chat.part.delta':
      return replace(messages, ev.messageId, (m) => appendPart(m, ev));
    case 'chat.part.added':
    case 'chat.part.updated':
      return replace(messages, ev.messageId, (m) => {
        const parts = m.parts.slice();
        parts[ev.index] = ev.part;
        return { ...m, parts };
      });
    case 'chat.message.finished':
      return replace(messages, ev.messageId, (m) => ({
        ...m,
        status: ev.status,
        usage: ev.usage,
        calls: ev.calls,
        costMicros: ev.costMicros,
      }));
    default:
      return unreachable(ev);
  }
}

function appendPart(m: Message, ev: Extract<ChatEvent, { type: 'chat.part.delta' }>): Message {
  const parts = m.parts.slice();
  const existing = parts[ev.index];
  if (existing && existing.type === ev.part) {
    parts[ev.index] = { ...existing, text: existing.text + ev.text };
  } else parts.push({ type: ev.part, text: ev.text });
  return { ...m, parts };
}

/** Replaces one message; searches from the end, where live messages are, so long chats stay cheap. */
function replace(messages: Message[], id: string, f: (m: Message) => Message): Message[] {
  const i = messages.findLastIndex((m) => m.id === id);
  const found = messages[i];
  if (!found) return messages;
  const next = messages.slice();
  next[i] = f(found);
  return next;
}
