import path from 'node:path';
import type { ChatRequest, Reply } from '@boocode/testkit';

/** The absolute worktree folder qwen works in, as it tells the model; null in a side request. */
export function worktreeIn(req: ChatRequest): string | null {
  return /\/[^"\s\\]*\/worktrees\/[0-9a-f-]{36}/.exec(JSON.stringify(req))?.[0] ?? null;
}

/**
 * qwen's round on `price.txt` of its worktree since the last prompt: read it (qwen writes only a
 * file read in the session), write `price: <price>`, then say so.
 */
export function priceRound(req: ChatRequest, worktree: string, price: number): Reply {
  const lastUser = req.messages.map((m) => m.role).lastIndexOf('user');
  const tools = req.messages.slice(lastUser).filter((m) => m.role === 'tool').length;
  const file_path = path.join(worktree, 'price.txt');
  if (tools === 0) {
    return {
      content: ['Reading ', 'the price.'],
      toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ file_path }) }],
    };
  }
  if (tools === 1) {
    const content = `price: ${price}\n`;
    return {
      toolCalls: [{ name: 'write_file', arguments: JSON.stringify({ file_path, content }) }],
    };
  }
  return { content: [`Done: the price is ${price}.`] };
}
