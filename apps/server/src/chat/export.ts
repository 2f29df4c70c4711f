import type { Chat, Message, Part } from '@boocode/protocol';
import { unreachable } from '@boocode/protocol';

/** A file name for the chat: its title, lower-case, dashes for the rest. */
export function exportSlug(chat: Chat): string {
  const slug = chat.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'chat';
}

/** The chat as a Markdown document a person can read (and paste elsewhere). */
export function chatToMarkdown(chat: Chat, messages: Message[]): string {
  const out = [`# ${chat.title}`, '', `_Exported from boocode on ${new Date().toISOString()}_`, ''];
  for (const m of messages) {
    const who = m.role === 'user' ? 'You' : m.role === 'assistant' ? 'Assistant' : 'System';
    const meta = [m.model, m.status === 'complete' ? null : m.status].filter(Boolean).join(', ');
    out.push(`## ${who}${meta ? ` (${meta})` : ''}`, '');
    for (const p of m.parts) out.push(partToMarkdown(p), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function partToMarkdown(p: Part): string {
  switch (p.type) {
    case 'text':
      return p.text;
    case 'reasoning':
      return `<details><summary>Reasoning</summary>\n\n${p.text}\n\n</details>`;
    case 'error':
      return `> **Error:** ${p.text}`;
    case 'tool_call':
      return `**Tool call** \`${p.name}\` \`${p.args}\``;
    case 'tool_result':
      return `<details><summary>Result of ${p.name}${p.ok ? '' : ' (error)'}</summary>\n\n${fence(p.text)}\n\n</details>`;
    case 'compaction':
      return `> **Compacted:** ${p.summarised} earlier messages summarised:\n\n${p.summary}`;
    default:
      return unreachable(p);
  }
}

/** A code fence longer than any run of backticks inside. */
function fence(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}\n${text}\n${f}`;
}
