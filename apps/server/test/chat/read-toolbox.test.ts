import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot, Project } from '@boocode/protocol';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

const SECRET = 'TOPSECRET-4f1c9e';
let h: Harness;
let tmp: string;
let repo: string;
let other: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-tools-'));
  repo = path.join(tmp, 'repo');
  other = path.join(tmp, 'other');
  await makeGitRepo(repo, { 'src/app.ts': 'export const answer = 42;\n', 'README.md': '# Demo\n' });
  await makeGitRepo(other, { 'lib/util.ts': 'export const shared = "from other";\n' });
  await writeFile(path.join(tmp, 'secret.txt'), `${SECRET}\n`);
  // Ways out of the repo that a model may try.
  await symlink(path.join(tmp, 'secret.txt'), path.join(repo, 'link-to-secret'));
  await symlink(tmp, path.join(repo, 'outside-dir'));
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await rm(tmp, { recursive: true, force: true });
});

/** Tool results since the user's last message: the rounds of the current reply. */
const toolMessages = (req: ChatRequest) =>
  req.messages
    .slice(req.messages.findLastIndex((m) => m.role === 'user'))
    .filter((m) => m.role === 'tool');

/** Calls `calls` one round each, then answers with what the tools said. */
function toolScript(calls: { name: string; args: object }[]) {
  return (req: ChatRequest): Reply => {
    const done = toolMessages(req).length;
    const next = calls[done];
    if (next) return { toolCalls: [{ name: next.name, arguments: JSON.stringify(next.args) }] };
    return { content: [`Read ${done} results.`] };
  };
}

async function addProject(p: string): Promise<Project> {
  const r = await h.api<Project>('POST', '/api/projects', { path: p });
  expect(r.status).toBe(201);
  return r.body;
}

async function ask(chat: Chat, content: string): Promise<ChatSnapshot> {
  const ws = await WsClient.open(h);
  ws.subscribe(chat.id, 0);
  const { messageId } = (
    await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, { content })
  ).body;
  await ws.waitForFinish(messageId);
  ws.close();
  return (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
}

describe('projects', () => {
  it('registers a git repository once, and refuses what is not one', async () => {
    const p = await addProject(repo);
    expect(p).toMatchObject({ name: 'repo', path: repo });
    expect((await h.api('POST', '/api/projects', { path: repo })).status).toBe(409);
    const notGit = await h.api<{ message: string }>('POST', '/api/projects', { path: tmp });
    expect(notGit.status).toBe(400);
    expect(notGit.body.message).toMatch(/Not a git repository/);
    const missing = await h.api<{ message: string }>('POST', '/api/projects', {
      path: '/no/such/dir',
    });
    expect(missing.body.message).toMatch(/No such folder/);
    const list = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    expect(list.map((x) => x.path)).toEqual([repo]);
  });
});

describe('read tools in a chat', () => {
  it('runs the model tool loop: calls show as parts with their state, and the model answers', async () => {
    const [project] = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project!.id })).body;
    h.model.requests.length = 0;
    h.model.setScript(toolScript([{ name: 'read_file', args: { path: 'src/app.ts' } }]));
    const snap = await ask(chat, 'What is the answer?');
    const reply = snap.messages[1]!;
    expect(reply.status).toBe('complete');
    expect(reply.parts.map((p) => p.type)).toEqual(['tool_call', 'tool_result', 'text']);
    expect(reply.parts[0]).toMatchObject({
      name: 'read_file',
      state: 'done',
      args: '{"path":"src/app.ts"}',
    });
    expect(reply.parts[1]).toMatchObject({ ok: true });
    expect(reply.parts[1]!.type === 'tool_result' && reply.parts[1]!.text).toContain('answer = 42');
    expect(reply.parts[2]).toEqual({ type: 'text', text: 'Read 1 results.' });

    const first = h.model.requests[0]!;
    const tools = (first.tools as { function: { name: string } }[]).map((t) => t.function.name);
    expect(tools).toEqual([
      'read_file',
      'list_dir',
      'search',
      'find_files',
      'find_symbol',
      'find_references',
      'call_graph',
      'outline',
    ]);
    expect(String(first.messages[0]!.content)).toContain('"repo"');
    // The second request carries the call and its result back to the model.
    const second = h.model.requests[1]!;
    expect(second.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ function: { name: 'read_file' } }],
    });
    expect(String(second.messages.at(-1)!.content)).toContain('answer = 42');
  });

  it('offers no tools to a chat without a project', async () => {
    const chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
    h.model.requests.length = 0;
    h.model.setScript([{ content: ['plain'] }]);
    await ask(chat, 'hi');
    expect(h.model.requests[0]!.tools).toBeUndefined();
  });

  it('searches with ripgrep and finds files by glob', async () => {
    const [project] = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project!.id })).body;
    h.model.setScript(
      toolScript([
        { name: 'search', args: { query: 'answer' } },
        { name: 'find_files', args: { pattern: '*.md' } },
        { name: 'list_dir', args: { path: 'src' } },
      ]),
    );
    const results = (await ask(chat, 'look around')).messages[1]!.parts.filter(
      (p) => p.type === 'tool_result',
    );
    expect(results.map((r) => r.ok)).toEqual([true, true, true]);
    expect(results[0]!.text).toContain('src/app.ts');
    expect(results[1]!.text).toContain('README.md');
    expect(results[2]!.text).toContain('app.ts');
  });

  it('answers other requests while find_files matches a hostile glob', async () => {
    const [project] = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    await writeFile(path.join(repo, 'a'.repeat(200)), '');
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project!.id })).body;
    // A backtracking matcher takes minutes over this pair, holding the event loop.
    const pattern = `${'*a'.repeat(40)}c`;
    h.model.setScript(toolScript([{ name: 'find_files', args: { pattern } }]));
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const sent = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
      content: 'find it',
    });
    expect((await h.api('GET', '/api/health')).status).toBe(200);
    await ws.waitForFinish(sent.body.messageId);
    ws.close();
    const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
    const result = snap.messages.at(-1)!.parts.find((p) => p.type === 'tool_result');
    expect(result).toMatchObject({ ok: true });
  });

  it('never brings a file outside the project into the chat, whatever the call', async () => {
    const [project] = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project!.id })).body;
    const secretPath = path.join(tmp, 'secret.txt');
    const attempts = [
      { name: 'read_file', args: { path: '../../secret.txt' } },
      { name: 'read_file', args: { path: secretPath } },
      { name: 'read_file', args: { path: 'link-to-secret' } },
      { name: 'read_file', args: { path: 'outside-dir/secret.txt' } },
      { name: 'read_file', args: { path: 'src/../../secret.txt' } },
      { name: 'read_file', args: { path: '%2e%2e/secret.txt' } },
      { name: 'read_file', args: { path: '..\\secret.txt' } },
      { name: 'read_file', args: { path: 'src/app.ts\u0000/../../secret.txt' } },
      { name: 'list_dir', args: { path: '..' } },
      { name: 'list_dir', args: { path: 'outside-dir' } },
      { name: 'search', args: { query: 'TOPSECRET' } },
      { name: 'search', args: { query: 'TOPSECRET', path: '..' } },
      { name: 'search', args: { query: 'TOPSECRET', path: 'outside-dir' } },
      { name: 'search', args: { query: '--files', path: '/' } },
      { name: 'find_files', args: { pattern: '**/*secret*' } },
      { name: 'find_files', args: { pattern: '*', path: 'outside-dir' } },
      { name: 'read_file', args: { path: 'secret.txt', root: 'nope' } },
      { name: 'no_such_tool', args: {} },
    ];
    h.model.requests.length = 0;
    h.model.setScript(toolScript(attempts));
    const snap = await ask(chat, 'find the secret');
    const reply = snap.messages[1]!;
    expect(reply.parts.filter((p) => p.type === 'tool_call')).toHaveLength(attempts.length);
    expect(JSON.stringify(snap)).not.toContain(SECRET);
    expect(JSON.stringify(h.model.requests)).not.toContain(SECRET);
    const rows = await h.db.sql<
      { parts: unknown }[]
    >`select parts from messages where chat_id = ${chat.id}`;
    expect(JSON.stringify(rows)).not.toContain(SECRET);
    // Refusals are tool errors the model can read, not failed replies.
    expect(reply.status).toBe('complete');
    const errors = reply.parts.filter((p) => p.type === 'tool_result' && !p.ok);
    expect(errors.length).toBeGreaterThan(10);
  });

  it('reads a second project only while the chat has a grant to it', async () => {
    const [project] = (await h.api<{ projects: Project[] }>('GET', '/api/projects')).body.projects;
    const second = await addProject(other);
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project!.id })).body;
    const call = { name: 'read_file', args: { path: 'lib/util.ts', root: 'other' } };
    const lastResult = async () => {
      h.model.setScript(toolScript([call]));
      const snap = await ask(chat, 'read the other one');
      const r = snap.messages.at(-1)!.parts.find((p) => p.type === 'tool_result');
      return r?.type === 'tool_result' ? r : null;
    };
    expect((await lastResult())?.ok).toBe(false);
    expect((await h.api('PUT', `/api/chats/${chat.id}/grants/${second.id}`)).status).toBe(204);
    expect(
      (await h.api<{ projectIds: string[] }>('GET', `/api/chats/${chat.id}/grants`)).body
        .projectIds,
    ).toEqual([second.id]);
    const granted = await lastResult();
    expect(granted?.ok).toBe(true);
    expect(granted?.text).toContain('from other');
    expect((await h.api('DELETE', `/api/chats/${chat.id}/grants/${second.id}`)).status).toBe(204);
    expect((await lastResult())?.ok).toBe(false);
  });
});
