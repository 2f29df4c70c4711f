import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArenaReply, PendingList, type AgentSession } from '@boocode/protocol';
import {
  lastUserText,
  startModelServer,
  type ChatRequest,
  type ModelServer,
  type Reply,
} from '@boocode/testkit';
import { agentBin } from './acp-helpers.ts';
import {
  frameOf,
  isStatus,
  startRoutesWorld,
  worktreeIn,
  type RoutesWorld,
} from './routes-world.ts';

// The Arena end to end through coder's routes and default wiring: qwen (ACP) and opencode (its
// HTTP server) for real, side by side, against one scripted OpenAI model server.
const qwen = agentBin('qwen');
const opencode = agentBin('opencode');
const PRICE = 'price: 10\ncurrency: EUR\n';

let openai: ModelServer;
let w: RoutesWorld;

beforeAll(async () => {
  openai = await startModelServer();
  w = await startRoutesWorld({ LLM_BASE_URL: openai.url });
});
afterAll(async () => {
  await w?.close();
  await openai?.close();
});

const api = <T>(method: 'GET' | 'POST', url: string, body?: unknown) => w.api<T>(method, url, body);

const toolNames = (req: ChatRequest): string[] =>
  Array.isArray(req.tools)
    ? (req.tools as { function?: { name?: string } }[]).map((t) => t.function?.name ?? '')
    : [];

/**
 * Both agents read price.txt, then write it: qwen (read_file/write_file) the price 12, opencode
 * (read/write) 15, then say so. Their side requests (qwen's checks, opencode's title) offer no
 * such tools and get a plain answer.
 */
function script(req: ChatRequest): Reply {
  const names = toolNames(req);
  const isQwen = names.includes('write_file');
  const isOpencode = names.includes('write');
  if (!lastUserText(req).includes('raise the price') || (!isQwen && !isOpencode)) {
    return { content: ['{}'] };
  }
  const file = path.join(worktreeIn(req), 'price.txt');
  const price = isQwen ? 12 : 15;
  const tools = req.messages.filter((m) => m.role === 'tool').length;
  const [read, write, key] = isQwen
    ? ['read_file', 'write_file', 'file_path']
    : ['read', 'write', 'filePath'];
  if (tools === 0) {
    return {
      content: ['Reading the price.'],
      toolCalls: [{ name: read, arguments: JSON.stringify({ [key]: file }) }],
    };
  }
  if (tools === 1) {
    const content = PRICE.replace('10', String(price));
    return { toolCalls: [{ name: write, arguments: JSON.stringify({ [key]: file, content }) }] };
  }
  return { content: [`Done: ${price}.`] };
}

describe.skipIf(!qwen || !opencode)('an arena of qwen and opencode', { timeout: 120_000 }, () => {
  it("streams both side by side, queues nothing until the pick, then exactly the winner's change", async () => {
    const { root, chatId } = await w.project({ 'price.txt': PRICE });
    openai.setScript(script);

    const started = await api<unknown>('POST', '/api/coder/arenas', {
      chatId,
      prompt: 'please raise the price',
      entrants: [
        { provider: 'qwen', mode: 'default' },
        { provider: 'opencode', mode: 'build' },
      ],
    });
    expect(started.status).toBe(201);
    const { arena } = ArenaReply.parse(started.body);
    const [q, o] = arena.entrants.map((e) => e.session) as [AgentSession, AgentSession];
    expect([q.provider, o.provider]).toEqual(['qwen', 'opencode']);

    // Each asks to write; allowed through the route, each ends its turn idle.
    await Promise.all(
      [q, o].map(async (s) => {
        const ws = await w.sessionSocket(s.id);
        const at = await ws.until((m) => frameOf(m)?.event.type === 'permission.request');
        const asked = frameOf(ws.messages[at])!.event;
        // Its answer streamed before it asked, as deltas of its own session.
        const text = ws.messages
          .slice(0, at)
          .map((m) => frameOf(m)?.event)
          .map((e) => (e?.type === 'message.delta' ? e.text : ''))
          .join('');
        expect(text).toContain('Reading the price.');
        if (asked.type !== 'permission.request') throw new Error('unreachable');
        const allow = asked.options.find((x) => x.kind === 'allow_once')!;
        await api('POST', `/api/coder/permissions/${asked.permissionId}`, { optionId: allow.id });
        await ws.until(isStatus('idle'), at);
      }),
    );

    const shown = ArenaReply.parse((await api('GET', `/api/coder/arenas/${arena.id}`)).body).arena;
    expect(shown.entrants.map((e) => [e.session.status, e.text.includes('Done')])).toEqual([
      ['idle', true],
      ['idle', true],
    ]);
    for (const e of shown.entrants) {
      expect(e.files).toEqual([
        { path: 'price.txt', kind: 'edit', additions: 1, deletions: 1, binary: false },
      ]);
      expect(e.durationMs).not.toBeNull();
    }
    const pendingUrl = `/api/coder/pending?chatId=${chatId}`;
    expect(PendingList.parse((await api('GET', pendingUrl)).body).changes).toEqual([]);

    const picked = await api<unknown>('POST', `/api/coder/arenas/${arena.id}/pick`, {
      sessionId: o.id,
    });
    expect(ArenaReply.parse(picked.body).arena.winnerSessionId).toBe(o.id);
    const { changes } = PendingList.parse((await api('GET', pendingUrl)).body);
    expect(changes.map((c) => c.path)).toEqual(['price.txt']);
    expect(changes[0]!.hunks.flatMap((x) => x.lines)).toEqual([
      '-price: 10',
      '+price: 15',
      ' currency: EUR',
    ]);
    expect(existsSync(q.worktreePath)).toBe(false);
    expect(await readFile(path.join(root, 'price.txt'), 'utf8')).toBe(PRICE);
  });
});
