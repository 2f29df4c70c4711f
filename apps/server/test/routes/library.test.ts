import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentList, Chat, ChatSnapshot, Project, SkillList } from '@boocode/protocol';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
let tmp: string;
let home: string;
let repo: string;
let project: Project;

const skill = (name: string, description: string, body: string) =>
  `---\nname: ${name}\ndescription: ${description}\n---\n${body}\n`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-library-'));
  home = path.join(tmp, 'home');
  repo = path.join(tmp, 'repo');
  await mkdir(path.join(home, 'skills', 'release'), { recursive: true });
  await writeFile(
    path.join(home, 'skills', 'release', 'SKILL.md'),
    skill('release', 'How to cut a release', 'Bump the version, tag it, push the tag.'),
  );
  await mkdir(path.join(home, 'skills', 'broken'), { recursive: true });
  await writeFile(
    path.join(home, 'skills', 'broken', 'SKILL.md'),
    '---\nname: broken\n---\nno description\n',
  );
  await makeGitRepo(repo, {
    '.boocode/skills/testing/SKILL.md': skill(
      'testing',
      'How this repo tests',
      'Run pnpm test; tests use a real database.',
    ),
    'src/a.ts': 'export {};\n',
  });
  // A skill folder that links out of the project must not be read.
  await mkdir(path.join(tmp, 'outside'), { recursive: true });
  await writeFile(
    path.join(tmp, 'outside', 'SKILL.md'),
    skill('escaped', 'must never show', 'SECRET-BODY'),
  );
  await symlink(path.join(tmp, 'outside'), path.join(repo, '.boocode/skills/escaped'));
  await mkdir(path.join(home, 'agents'), { recursive: true });
  await writeFile(
    path.join(home, 'agents', 'pirate.md'),
    '---\nname: Pirate\ndescription: Talks like a pirate\ntools: [load_skill]\nmodel: scripted-small\n---\nYou are a pirate. Say arr.\n',
  );
  h = await startHarness({ BOOCODE_HOME: home });
  project = (await h.api<Project>('POST', '/api/projects', { path: repo })).body;
});
afterAll(async () => {
  await h.close();
  await rm(tmp, { recursive: true, force: true });
});

async function ask(chat: Chat, content: string): Promise<ChatSnapshot> {
  const ws = await WsClient.open(h);
  ws.subscribe(chat.id, 0);
  const r = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
    content,
  });
  expect(r.status).toBe(202);
  await ws.waitForFinish(r.body.messageId);
  ws.close();
  return (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
}

const systemOf = (req: ChatRequest) =>
  req.messages
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content))
    .join('\n');

describe('skills', () => {
  it("lists the project's skills and the user's, skipping a bad one and one that links outside", async () => {
    const r = await h.api<SkillList>('GET', `/api/skills?projectId=${project.id}`);
    expect(r.body.dir).toBe(path.join(home, 'skills'));
    expect(r.status).toBe(200);
    expect(r.body.skills.map((s) => [s.name, s.source.kind])).toEqual([
      ['testing', 'project'],
      ['release', 'user'],
    ]);
    expect(r.body.problems.join('\n')).toMatch(/broken.*description/);
    expect(JSON.stringify(r.body)).not.toContain('SECRET-BODY');
  });

  it('lets the model see the list and load a body with load_skill', async () => {
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project.id })).body;
    h.model.setScript((req): Reply => {
      const tool = req.messages.find((m) => m.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'load_skill', arguments: '{"name":"testing"}' }] };
      return { content: ['ok'] };
    });
    const snap = await ask(chat, 'how do I test?');
    const first = h.model.requests.at(-2)!;
    expect(systemOf(first)).toContain('- testing: How this repo tests');
    expect(systemOf(first)).toContain('- release: How to cut a release');
    const result = snap.messages.at(-1)!.parts.find((p) => p.type === 'tool_result');
    expect(result).toMatchObject({ ok: true, name: 'load_skill' });
    expect(result && 'text' in result ? result.text : '').toContain('Run pnpm test');
  });

  it('refuses to load a skill that is not there', async () => {
    const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project.id })).body;
    h.model.setScript((req): Reply =>
      req.messages.some((m) => m.role === 'tool')
        ? { content: ['ok'] }
        : { toolCalls: [{ name: 'load_skill', arguments: '{"name":"escaped"}' }] },
    );
    const snap = await ask(chat, 'load it');
    const result = snap.messages.at(-1)!.parts.find((p) => p.type === 'tool_result');
    expect(result).toMatchObject({ ok: false });
    expect(JSON.stringify(snap)).not.toContain('SECRET-BODY');
  });
});

describe('agents', () => {
  it('lists the builtin agents and the user-defined ones', async () => {
    const r = await h.api<AgentList>('GET', '/api/agents');
    expect(r.body.dir).toBe(path.join(home, 'agents'));
    const ids = r.body.agents.map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining(['explainer', 'reviewer', 'architect', 'pirate']));
    expect(r.body.agents.find((a) => a.id === 'pirate')).toMatchObject({
      name: 'Pirate',
      builtin: false,
      tools: ['load_skill'],
      model: 'scripted-small',
    });
    expect(JSON.stringify(r.body)).not.toContain('Say arr');
  });

  it('starts a chat with an agent: its model, its system prompt, only its tools', async () => {
    const created = await h.api<Chat>('POST', '/api/chats', {
      projectId: project.id,
      agentId: 'pirate',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ agentId: 'pirate', model: 'scripted-small' });
    h.model.setScript([{ content: ['arr'] }]);
    await ask(created.body, 'hello');
    const req = h.model.requests.at(-1)! as ChatRequest & {
      tools?: { function: { name: string } }[];
    };
    expect(systemOf(req)).toMatch(/^You are a pirate\. Say arr\./);
    expect(req.tools?.map((t) => t.function.name)).toEqual(['load_skill']);
  });

  it('keeps the agent in a fork', async () => {
    const chat = (await h.api<Chat>('POST', '/api/chats', { agentId: 'reviewer' })).body;
    h.model.setScript([{ content: ['done'] }]);
    const snap = await ask(chat, 'look');
    const fork = await h.api<Chat>('POST', `/api/chats/${chat.id}/fork`, {
      messageId: snap.messages.at(-1)!.id,
    });
    expect(fork.body.agentId).toBe('reviewer');
  });

  it('refuses an agent that does not exist, and creates nothing', async () => {
    const before = (await h.api<{ chats: Chat[] }>('GET', '/api/chats')).body.chats.length;
    const r = await h.api<{ code: string }>('POST', '/api/chats', { agentId: 'nobody' });
    expect(r).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await h.api<{ chats: Chat[] }>('GET', '/api/chats')).body.chats.length).toBe(before);
  });
});
