import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentEventList,
  ApplyResult,
  AgentServerFrame,
  AgentSessionReply,
  InboxList,
  PendingList,
} from '@boocode/protocol';
import {
  hasToolResult,
  lastUserText,
  lastUserTextOf,
  startAnthropicServer,
  startModelServer,
  type AnthropicServer,
  type ChatRequest,
  type MessagesRequest,
  type ModelServer,
  type Reply,
} from '@boocode/testkit';
import { agentBin } from './acp-helpers.ts';
import { turn } from './opencode-helpers.ts';
import {
  frameOf,
  isEvent,
  isStatus,
  startRoutesWorld,
  textOf,
  worktreeIn,
  type RoutesWorld,
} from './routes-world.ts';

// Agent dispatch end to end through coder's real routes and default wiring (the provider
// registry's launches, the ACP backend, opencode's server), with the real CLIs against the
// scripted model servers.
const qwen = agentBin('qwen');
const claude = agentBin('claude-code-acp');
const opencode = agentBin('opencode');
const PRICE = 'price: 10\ncurrency: EUR\n';
const RAISED = 'price: 12\ncurrency: EUR\n';

let openai: ModelServer;
let anthropic: AnthropicServer;
let w: RoutesWorld;

beforeAll(async () => {
  openai = await startModelServer();
  anthropic = await startAnthropicServer();
  w = await startRoutesWorld({
    LLM_BASE_URL: openai.url,
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'sk-test',
  });
});
afterAll(async () => {
  await w?.close();
  await openai?.close();
  await anthropic?.close();
});

const api = <T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
  w.api<T>(method, url, body);

/**
 * One agent's full round: prompt -> streamed text -> a write asks permission -> answered through
 * the route -> the turn ends -> the change is pending with its diff, the project file untouched.
 */
async function dispatchRound(
  provider: string,
  allowOption: (kinds: string[]) => number,
  mode = 'default',
) {
  const { root, chatId } = await w.project({ 'price.txt': PRICE });
  const started = await api<unknown>('POST', '/api/coder/sessions', {
    chatId,
    provider,
    mode,
    prompt: 'please raise the price to 12',
  });
  expect(started.status).toBe(201);
  const { session } = AgentSessionReply.parse(started.body);
  const ws = await w.sessionSocket(session.id);

  const askedAt = await ws.until(isEvent('permission.request'));
  const asked = frameOf(ws.messages[askedAt])!.event;
  if (asked.type !== 'permission.request') throw new Error('unreachable');
  // The reply so far streamed as deltas; nothing is written anywhere before the answer.
  expect(textOf(ws.frames())).toContain('Reading the price.');
  expect(await readFile(path.join(session.worktreePath, 'price.txt'), 'utf8')).toBe(PRICE);
  const inbox = await api<unknown>('GET', '/api/coder/inbox');
  expect(
    InboxList.parse(inbox.body).items.map((i) =>
      i.kind === 'permission' ? i.permissionId : i.questionId,
    ),
  ).toEqual([asked.permissionId]);

  const option = asked.options[allowOption(asked.options.map((o) => o.kind))]!;
  const answered = await api('POST', `/api/coder/permissions/${asked.permissionId}`, {
    optionId: option.id,
  });
  expect(answered).toEqual({ status: 200, body: { ok: true } });
  await ws.until(isStatus('idle'), askedAt);

  const { frames } = AgentEventList.parse(
    (await api('GET', `/api/coder/sessions/${session.id}/events?afterSeq=0`)).body,
  );
  const events = frames.map((f) => f.event);
  expect(events).toContainEqual({
    type: 'permission.resolved',
    permissionId: asked.permissionId,
    optionId: option.id,
  });
  expect(events).toContainEqual({ type: 'changes', paths: ['price.txt'] });
  expect(events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
  expect(textOf(frames)).toContain('Done.');

  const pending = PendingList.parse((await api('GET', `/api/coder/pending?chatId=${chatId}`)).body);
  expect(pending.changes).toEqual([
    expect.objectContaining({ path: 'price.txt', kind: 'edit', additions: 1, deletions: 1 }),
  ]);
  expect(pending.changes[0]!.hunks.flatMap((h) => h.lines)).toEqual([
    '-price: 10',
    '+price: 12',
    ' currency: EUR',
  ]);
  expect(await readFile(path.join(root, 'price.txt'), 'utf8')).toBe(PRICE);
  expect((await api('GET', '/api/coder/inbox')).body).toEqual({ items: [] });
  // Applied, the project's file is the agent's; closed, the session's worktree is gone.
  const applied = await api('POST', '/api/coder/apply', { chatId });
  expect(ApplyResult.parse(applied.body).applied).toEqual([pending.changes[0]!.id]);
  expect(await readFile(path.join(root, 'price.txt'), 'utf8')).toBe(RAISED);
  const closed = await api<unknown>('DELETE', `/api/coder/sessions/${session.id}`);
  expect(AgentSessionReply.parse(closed.body).session.status).toBe('closed');
  expect(existsSync(session.worktreePath)).toBe(false);
}

describe.skipIf(!qwen)('dispatch to qwen through the routes', () => {
  it('streams, asks to write, and queues the allowed edit as a pending diff the project gets only on apply', async () => {
    const toolCount = (req: ChatRequest) => req.messages.filter((m) => m.role === 'tool').length;
    openai.setScript((req): Reply => {
      // qwen's side requests (next-speaker checks) get a plain answer.
      if (!lastUserText(req).includes('raise the price')) return { content: ['{}'] };
      const file = path.join(worktreeIn(req), 'price.txt');
      switch (toolCount(req)) {
        case 0:
          return {
            content: ['Reading ', 'the price.'],
            toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ file_path: file }) }],
          };
        case 1:
          return {
            toolCalls: [
              {
                name: 'write_file',
                arguments: JSON.stringify({ file_path: file, content: RAISED }),
              },
            ],
          };
        default:
          return { content: ['Done.'] };
      }
    });
    await dispatchRound('qwen', (kinds) => kinds.indexOf('allow_once'));
  });
});

describe.skipIf(!claude)('dispatch to Claude Code through the routes', () => {
  it('streams, asks to write, and queues the allowed edit as a pending diff the project gets only on apply', async () => {
    // With the client's fs capability, claude-code-acp offers its own mcp__acp__ tools.
    const tool = (req: MessagesRequest, name: string) =>
      req.tools?.some((t) => t.name === `mcp__acp__${name}`) ? `mcp__acp__${name}` : name;
    const toolResults = (req: MessagesRequest) =>
      req.messages
        .flatMap((m) => (Array.isArray(m.content) ? m.content : []))
        .filter((b) => b.type === 'tool_result').length;
    anthropic.setScript((req): Reply => {
      if (!lastUserTextOf(req).includes('raise the price') && !hasToolResult(req)) {
        return { content: ['(side request)'] };
      }
      const file = path.join(worktreeIn(req), 'price.txt');
      switch (toolResults(req)) {
        case 0:
          return {
            content: ['Reading ', 'the price.'],
            toolCalls: [
              { name: tool(req, 'Read'), arguments: JSON.stringify({ file_path: file }) },
            ],
          };
        case 1:
          return {
            toolCalls: [
              {
                name: tool(req, 'Write'),
                arguments: JSON.stringify({ file_path: file, content: RAISED }),
              },
            ],
          };
        default:
          return { content: ['Done.'] };
      }
    });
    await dispatchRound('claude', (kinds) => kinds.indexOf('allow_once'));
  });
});

describe.skipIf(!opencode)(
  'dispatch to opencode (its HTTP server) through the routes',
  { timeout: 90_000 },
  () => {
    it('streams, asks to write, and queues the allowed edit as a pending diff the project gets only on apply', async () => {
      const toolCount = (req: ChatRequest) => req.messages.filter((m) => m.role === 'tool').length;
      openai.setScript(
        turn((req): Reply => {
          const file = path.join(worktreeIn(req), 'price.txt');
          switch (toolCount(req)) {
            case 0:
              return {
                content: ['Reading ', 'the price.'],
                toolCalls: [{ name: 'read', arguments: JSON.stringify({ filePath: file }) }],
              };
            case 1:
              return {
                toolCalls: [
                  { name: 'write', arguments: JSON.stringify({ filePath: file, content: RAISED }) },
                ],
              };
            default:
              return { content: ['Done.'] };
          }
        }),
      );
      await dispatchRound('opencode', (kinds) => kinds.indexOf('allow_once'), 'build');
    });

    it('fails a session in a mode opencode does not have, naming the ones it has', async () => {
      const { chatId } = await w.project({ 'price.txt': PRICE });
      const started = await api<unknown>('POST', '/api/coder/sessions', {
        chatId,
        provider: 'opencode',
        mode: 'default',
        prompt: 'hello',
      });
      const { session } = AgentSessionReply.parse(started.body);
      const ws = await w.sessionSocket(session.id);
      const at = await ws.until(isStatus('failed'));
      const failed = AgentServerFrame.parse(ws.messages[at]);
      if (failed.type !== 'session') throw new Error('unreachable');
      expect(failed.session.error).toMatch(/Agent not found: "default".*build/s);
    });
  },
);
