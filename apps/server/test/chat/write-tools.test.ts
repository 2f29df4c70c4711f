import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat, listChanges, setAutoApply } from '@boocode/db';
import type { ChatSnapshot, Project, ToolResultPart } from '@boocode/protocol';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
let tmp: string;
let repo: string;
let project: Project;
const ORIGINAL = 'export const answer = 42;\n';

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-write-tools-'));
  repo = path.join(tmp, 'repo');
  await makeGitRepo(repo, { 'src/app.ts': ORIGINAL });
  await writeFile(path.join(tmp, 'secret.txt'), 'secret\n');
  await symlink(path.join(tmp, 'secret.txt'), path.join(repo, 'link-out'));
  h = await startHarness();
  project = (await h.api<Project>('POST', '/api/projects', { path: repo })).body;
});
afterAll(async () => {
  await h.close();
  await rm(tmp, { recursive: true, force: true });
});

const toolMessages = (req: ChatRequest) =>
  req.messages
    .slice(req.messages.findLastIndex((m) => m.role === 'user'))
    .filter((m) => m.role === 'tool');

/** Calls `calls` one round each, then answers. */
function toolScript(calls: { name: string; args: object }[]) {
  return (req: ChatRequest): Reply => {
    const next = calls[toolMessages(req).length];
    if (next) return { toolCalls: [{ name: next.name, arguments: JSON.stringify(next.args) }] };
    return { content: ['Done.'] };
  };
}

async function coderChat(autoApply = false) {
  const chat = await createChat(h.db.sql, {
    title: 'coder',
    model: null,
    projectId: project.id,
    kind: 'coder',
  });
  if (autoApply) await setAutoApply(h.db.sql, chat.id, true);
  return chat;
}

async function ask(chatId: string, content: string): Promise<ToolResultPart[]> {
  const ws = await WsClient.open(h);
  ws.subscribe(chatId, 0);
  const { messageId } = (
    await h.api<{ messageId: string }>('POST', `/api/chats/${chatId}/messages`, { content })
  ).body;
  await ws.waitForFinish(messageId);
  ws.close();
  const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chatId}`)).body;
  return snap.messages.at(-1)!.parts.filter((p) => p.type === 'tool_result');
}

const toolNames = (req: ChatRequest) =>
  ((req.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);

describe('write tools in a coder chat', () => {
  it('queues an edit without touching the disk and tells the model what it queued', async () => {
    const chat = await coderChat();
    h.model.requests.length = 0;
    h.model.setScript(
      toolScript([
        {
          name: 'edit_file',
          args: { path: 'src/app.ts', old_string: 'answer = 42', new_string: 'answer = 43' },
        },
      ]),
    );
    const [result] = await ask(chat.id, 'Change the answer');
    expect(result).toMatchObject({ name: 'edit_file', ok: true });
    expect(result!.text).toMatch(/^Queued an edit of "src\/app\.ts" as pending change/);
    expect(result!.text).toContain('-export const answer = 42;\n+export const answer = 43;');
    expect(await readFile(path.join(repo, 'src/app.ts'), 'utf8')).toBe(ORIGINAL);
    const queued = await listChanges(h.db.sql, { chatId: chat.id }, { status: 'pending' });
    expect(queued.map((c) => [c.path, c.kind, c.afterContent])).toEqual([
      ['src/app.ts', 'edit', 'export const answer = 43;\n'],
    ]);
    const tools = toolNames(h.model.requests[0]!);
    expect(tools).toEqual(expect.arrayContaining(['read_file', 'edit_file', 'create_file']));
    expect(tools).not.toContain('apply_pending');
    expect(tools).not.toContain('rewind');
  });

  it('refuses an edit whose old_string is absent or not unique, and paths outside the project', async () => {
    const chat = await coderChat();
    h.model.setScript(
      toolScript([
        { name: 'edit_file', args: { path: 'src/app.ts', old_string: 'nope', new_string: 'x' } },
        { name: 'edit_file', args: { path: 'src/app.ts', old_string: 'e', new_string: 'E' } },
        { name: 'create_file', args: { path: '../../escape.txt', content: 'x' } },
        { name: 'edit_file', args: { path: 'link-out', old_string: 'secret', new_string: 'x' } },
        { name: 'create_file', args: { path: '.git/hooks/pre-commit', content: 'x' } },
      ]),
    );
    const results = await ask(chat.id, 'Try bad things');
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(results[0]!.text).toMatch(/not found/);
    expect(results[1]!.text).toMatch(/occurs \d+ times/);
    expect(await listChanges(h.db.sql, { chatId: chat.id }, { status: 'pending' })).toEqual([]);
    expect(await readFile(path.join(tmp, 'secret.txt'), 'utf8')).toBe('secret\n');
  });

  it('a plain chat on the same project has no write tools', async () => {
    const chat = await createChat(h.db.sql, { title: 'plain', model: null, projectId: project.id });
    h.model.requests.length = 0;
    h.model.setScript([{ content: ['hi'] }]);
    await ask(chat.id, 'hello');
    expect(toolNames(h.model.requests[0]!)).not.toContain('edit_file');
  });

  it('with auto-apply on, the model applies its changes and rewinds them', async () => {
    const chat = await coderChat(true);
    h.model.requests.length = 0;
    h.model.setScript(
      toolScript([
        { name: 'create_file', args: { path: 'docs/new.md', content: '# New\n' } },
        { name: 'apply_pending', args: {} },
      ]),
    );
    const results = await ask(chat.id, 'Add docs and apply');
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results[1]!.text).toMatch(
      /^Applied 1 change \(checkpoint .*\): Created docs\/new\.md\./,
    );
    expect(toolNames(h.model.requests[0]!)).toEqual(
      expect.arrayContaining(['apply_pending', 'rewind']),
    );
    expect(await readFile(path.join(repo, 'docs/new.md'), 'utf8')).toBe('# New\n');

    h.model.setScript(toolScript([{ name: 'rewind', args: {} }]));
    const [rewound] = await ask(chat.id, 'Undo it');
    expect(rewound).toMatchObject({ ok: true });
    await expect(readFile(path.join(repo, 'docs/new.md'), 'utf8')).rejects.toThrow();
  });

  it('apply_pending is refused when auto-apply is off, even if the model calls it', async () => {
    const chat = await coderChat();
    h.model.setScript(toolScript([{ name: 'apply_pending', args: {} }]));
    const [r] = await ask(chat.id, 'apply');
    expect(r!.ok).toBe(false);
  });
});
