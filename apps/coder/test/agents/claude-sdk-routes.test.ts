import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, upsertProject } from '@boocode/db';
import {
  AgentEventList,
  AgentSessionReply,
  PendingList,
  type AgentEvent,
  type AgentSession,
} from '@boocode/protocol';
import {
  freePort,
  hasToolResult,
  makeGitRepo,
  startAnthropicServer,
  type AnthropicServer,
  type MessagesRequest,
  type Reply,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp } from '../../src/app.ts';
import type { AgentSessions } from '../../src/agents/sessions.ts';
import { loadConfig } from '../../src/config.ts';
import { claudeSdkBin } from './claude-helpers.ts';
import { statusOf, TOKEN } from './harness.ts';

// Claude on the Agent SDK (CLAUDE_SDK_BACKEND=1) end to end through coder's routes and default
// wiring: the registry's launch of the SDK's CLI, the scripted Anthropic server, a restart of
// coder between two prompts of one session.
const bin = claudeSdkBin();
const PRICE = 'price: 10\n';
const RAISED = 'price: 12\n';

let db: TestDatabase;
let anthropic: AnthropicServer;
let home: string;
let app: FastifyInstance;
let agents: AgentSessions;
let base: string;

async function startCoder(): Promise<void> {
  const port = await freePort();
  const config = loadConfig({
    BOOCODE_HOME: home,
    CODER_PORT: String(port),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'sk-test',
    CLAUDE_SDK_BACKEND: '1',
  });
  app = await buildApp({ config, sql: db.sql, token: TOKEN, onAgentSessions: (a) => (agents = a) });
  await app.listen({ port, host: '127.0.0.1' });
  base = `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  db = await testDatabase();
  anthropic = await startAnthropicServer();
  home = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-claude-routes-')));
  await startCoder();
});
afterAll(async () => {
  await app?.close();
  await anthropic?.close();
  await db?.drop();
  await rm(home, { recursive: true, force: true });
});

async function api<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
  const res = await app.inject({
    method,
    url,
    headers: { origin: base, host: base.slice(7), authorization: `Bearer ${TOKEN}` },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return { status: res.statusCode, body: (res.body ? JSON.parse(res.body) : null) as T };
}

async function events(sessionId: string): Promise<AgentEvent[]> {
  const list = await api('GET', `/api/coder/sessions/${sessionId}/events?afterSeq=0`);
  return AgentEventList.parse(list.body).frames.map((f) => f.event);
}

const conversation = (req: MessagesRequest) => JSON.stringify(req.messages);

describe.skipIf(!bin)('Claude on the Agent SDK through the routes', { timeout: 90_000 }, () => {
  it('runs a turn whose edit is pending, and after coder restarts takes the same conversation up', async () => {
    const root = await makeGitRepo(path.join(home, 'projects', 'shop'), { 'price.txt': PRICE });
    execFileSync('git', ['add', '-A'], { cwd: root });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'first'], {
      cwd: root,
    });
    const { project } = await upsertProject(db.sql, { name: 'shop', path: root });
    const chat = await createChat(db.sql, {
      title: 'coder',
      model: null,
      projectId: project.id,
      kind: 'coder',
    });
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
      chatId: chat.id,
      provider: 'claude',
      mode: 'acceptEdits',
      prompt: 'please raise the price to 12',
    });
    expect(started.status).toBe(201);
    const { session } = AgentSessionReply.parse(started.body);
    expect(session.backend).toBe('claude_sdk');
    const idle: AgentSession = await statusOf({ agents, db }, session.id, 'idle');
    expect(idle.resumable).toBe(true);
    expect(await events(session.id)).toContainEqual({ type: 'changes', paths: ['price.txt'] });
    const pending = PendingList.parse(
      (await api('GET', `/api/coder/pending?chatId=${chat.id}`)).body,
    );
    expect(pending.changes.map((c) => c.path)).toEqual(['price.txt']);
    expect(await readFile(path.join(root, 'price.txt'), 'utf8')).toBe(PRICE);

    await app.close();
    await startCoder();

    const again = await api<unknown>('POST', `/api/coder/sessions/${session.id}/prompt`, {
      text: 'what did you change?',
    });
    expect(again.status).toBe(200);
    await statusOf({ agents, db }, session.id, 'idle');
    const after = await events(session.id);
    const reply = after
      .slice(after.findLastIndex((e) => e.type === 'prompt'))
      .map((e) => (e.type === 'message.delta' ? e.text : ''))
      .join('');
    expect(reply).toBe('I raised the price.');
    expect(after.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
  });
});
