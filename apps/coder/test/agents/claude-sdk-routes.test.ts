import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentEventList,
  AgentSessionReply,
  PendingList,
  type AgentEvent,
  type AgentSession,
} from '@boocode/protocol';
import {
  hasToolResult,
  startAnthropicServer,
  type AnthropicServer,
  type MessagesRequest,
  type Reply,
} from '@boocode/testkit';
import { claudeSdkBin } from './claude-helpers.ts';
import { statusOf } from './harness.ts';
import { startRoutesWorld, type RoutesWorld } from './routes-world.ts';

// Claude on the Agent SDK (CLAUDE_SDK_BACKEND=1) end to end through coder's routes and default
// wiring: the registry's launch of the SDK's CLI, the scripted Anthropic server, a restart of
// coder between two prompts of one session.
const bin = claudeSdkBin();
const PRICE = 'price: 10\n';
const RAISED = 'price: 12\n';

let anthropic: AnthropicServer;
let w: RoutesWorld;

beforeAll(async () => {
  anthropic = await startAnthropicServer();
  w = await startRoutesWorld({
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'sk-test',
    CLAUDE_SDK_BACKEND: '1',
  });
});
afterAll(async () => {
  await w?.close();
  await anthropic?.close();
});

const api = <T>(method: 'GET' | 'POST', url: string, body?: unknown) => w.api<T>(method, url, body);

async function events(sessionId: string): Promise<AgentEvent[]> {
  const list = await api('GET', `/api/coder/sessions/${sessionId}/events?afterSeq=0`);
  return AgentEventList.parse(list.body).frames.map((f) => f.event);
}

const conversation = (req: MessagesRequest) => JSON.stringify(req.messages);

describe.skipIf(!bin)('Claude on the Agent SDK through the routes', { timeout: 90_000 }, () => {
  it('runs a turn whose edit is pending, and after coder restarts takes the same conversation up', async () => {
    const { root, chatId } = await w.project({ 'price.txt': PRICE });
    anthropic.setScript((req): Reply => {
      const said = conversation(req);
      if (said.includes('what did you change')) {
        // The resumed CLI sends the whole conversation: the first prompt is in it.
        return { content: [said.includes('raise the price') ? 'I raised the price.' : 'No idea.'] };
      }
      if (!said.includes('raise the price')) return { content: ['(side request)'] };
      if (hasToolResult(req)) return { content: ['Done.'] };
      const file = /\/[^"\s\\]*\/worktrees\/[0-9a-f-]{36}/.exec(said)?.[0] ?? root;
      return {
        toolCalls: [
          {
            name: 'Write',
            arguments: JSON.stringify({ file_path: path.join(file, 'price.txt'), content: RAISED }),
          },
        ],
      };
    });

    const started = await api<unknown>('POST', '/api/coder/sessions', {
      chatId,
      provider: 'claude',
      mode: 'acceptEdits',
      prompt: 'please raise the price to 12',
    });
    expect(started.status).toBe(201);
    const { session } = AgentSessionReply.parse(started.body);
    expect(session.backend).toBe('claude_sdk');
    const idle: AgentSession = await statusOf(w, session.id, 'idle');
    expect(idle.resumable).toBe(true);
    expect(await events(session.id)).toContainEqual({ type: 'changes', paths: ['price.txt'] });
    const pending = PendingList.parse(
      (await api('GET', `/api/coder/pending?chatId=${chatId}`)).body,
    );
    expect(pending.changes.map((c) => c.path)).toEqual(['price.txt']);
    expect(await readFile(path.join(root, 'price.txt'), 'utf8')).toBe(PRICE);

    await w.restart();

    const again = await api<unknown>('POST', `/api/coder/sessions/${session.id}/prompt`, {
      text: 'what did you change?',
    });
    expect(again.status).toBe(200);
    await statusOf(w, session.id, 'idle');
    const after = await events(session.id);
    const reply = after
      .slice(after.findLastIndex((e) => e.type === 'prompt'))
      .map((e) => (e.type === 'message.delta' ? e.text : ''))
      .join('');
    expect(reply).toBe('I raised the price.');
    expect(after.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
  });
});
