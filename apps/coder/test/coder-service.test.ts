import { execFileSync } from 'node:child_process';
import { readFile, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type {
  ApplyResult,
  Chat,
  CheckpointList,
  ErrorBody,
  PendingList,
  RejectResult,
  RewindResult,
} from '@boocode/protocol';
import { makeProject, queue, removeProjects, startHarness, type Harness } from './helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
const immutable: string[] = [];
afterEach(async () => {
  for (const f of immutable.splice(0)) execFileSync('chattr', ['-i', f]);
  await removeProjects();
});

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

async function coderChat(projectId: string): Promise<Chat> {
  const res = await h.api<{ chat: Chat }>('POST', '/api/coder/chats', { projectId });
  expect(res.status).toBe(201);
  return res.body.chat;
}

describe('auth', () => {
  test('health answers without auth, the queue only with it', async () => {
    const health = await h.app.inject({ url: '/api/health', headers: { host: '127.0.0.1:9500' } });
    expect(health.statusCode).toBe(200);
    const anon = await h.app.inject({
      url: '/api/coder/pending?projectId=00000000-0000-4000-8000-000000000000',
      headers: { host: '127.0.0.1:9500' },
    });
    expect(anon.statusCode).toBe(401);
  });

  test('every route but health answers 401 without auth', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const open: string[] = [];
    for (const route of h.routes) {
      const [method, url] = route.split(' ') as [string, string];
      if (method === 'HEAD' || url === '/api/health') continue;
      const res = await h.app.inject({
        method: method as 'GET',
        url: url.replace(/:(\w+)/g, id) + (method === 'GET' ? `?projectId=${id}` : ''),
        headers: { host: '127.0.0.1:9500', origin: 'http://127.0.0.1:9500' },
        ...(method === 'GET' ? {} : { payload: {} }),
      });
      if (res.statusCode !== 401) open.push(`${route}: ${res.statusCode}`);
    }
    expect(h.routes.length).toBeGreaterThan(6);
    expect(open).toEqual([]);
  });

  test('a state-changing request from another Origin is refused', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/coder/apply',
      headers: {
        host: '127.0.0.1:9500',
        origin: 'http://evil.example',
        authorization: 'Bearer test-token-0123456789abcdefghijklmnopqrstuvwxyz',
      },
      payload: { projectId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('coder chats', () => {
  test('a coder chat is of kind coder, with auto-apply off until turned on', async () => {
    const { project } = await makeProject(h, { 'a.txt': 'a\n' });
    const chat = await coderChat(project.id);
    expect(chat).toMatchObject({ kind: 'coder', autoApply: false, projectId: project.id });
    const on = await h.api<{ chat: Chat }>('PUT', `/api/coder/chats/${chat.id}/settings`, {
      autoApply: true,
    });
    expect(on.body.chat.autoApply).toBe(true);
  });
});

describe('the queue', () => {
  test('a queued edit is listed with its diff and the file is unchanged until applied', async () => {
    const { project, root } = await makeProject(h, { 'src/a.ts': 'const a = 1;\nexport { a };\n' });
    const chat = await coderChat(project.id);
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'src/a.ts',
      oldString: 'const a = 1;',
      newString: 'const a = 2;',
    });
    const list = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
    expect(list.status).toBe(200);
    expect(list.body.changes).toHaveLength(1);
    const change = list.body.changes[0]!;
    expect(change).toMatchObject({ path: 'src/a.ts', kind: 'edit', additions: 1, deletions: 1 });
    expect(change.hunks[0]!.lines).toEqual(['-const a = 1;', '+const a = 2;', ' export { a };']);
    expect(await readFile(path.join(root, 'src/a.ts'), 'utf8')).toBe(
      'const a = 1;\nexport { a };\n',
    );

    const applied = await h.api<ApplyResult>('POST', '/api/coder/apply', {
      chatId: chat.id,
      ids: [change.id],
    });
    expect(applied.status).toBe(200);
    expect(applied.body.applied).toEqual([change.id]);
    expect(applied.body.checkpoint.changes).toEqual([{ path: 'src/a.ts', kind: 'edit' }]);
    expect(await readFile(path.join(root, 'src/a.ts'), 'utf8')).toBe(
      'const a = 2;\nexport { a };\n',
    );
    const after = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
    expect(after.body.changes).toEqual([]);
  });

  test('reject drops a change and the later changes to that file made on top of it', async () => {
    const { project, root } = await makeProject(h, { 'a.txt': 'one\ntwo\n', 'b.txt': 'b\n' });
    const chat = await coderChat(project.id);
    const first = await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'one',
      newString: '1',
    });
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'two',
      newString: '2',
    });
    const other = await queue(h, project, chat.id, { kind: 'delete', path: 'b.txt' });
    const res = await h.api<RejectResult>('POST', '/api/coder/reject', {
      chatId: chat.id,
      ids: [first.id],
    });
    expect(res.body.rejected).toHaveLength(2);
    const left = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
    expect(left.body.changes.map((c) => c.id)).toEqual([other.id]);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('one\ntwo\n');
  });

  test('apply all lands every pending change of the chat as one checkpoint', async () => {
    const { project, root } = await makeProject(h, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const chat = await coderChat(project.id);
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'a',
      newString: 'A',
    });
    await queue(h, project, chat.id, { kind: 'create', path: 'new/c.txt', content: 'c\n' });
    await queue(h, project, chat.id, { kind: 'delete', path: 'b.txt' });
    const res = await h.api<ApplyResult>('POST', '/api/coder/apply', { chatId: chat.id });
    expect(res.status).toBe(200);
    expect(res.body.applied).toHaveLength(3);
    expect(res.body.checkpoint.summary).toBe('Edited a.txt, created new/c.txt, deleted b.txt');
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('A\n');
    expect(await readFile(path.join(root, 'new/c.txt'), 'utf8')).toBe('c\n');
    expect(await exists(path.join(root, 'b.txt'))).toBe(false);
    const none = await h.api<ErrorBody>('POST', '/api/coder/apply', { chatId: chat.id });
    expect(none.status).toBe(400);
  });

  test('a file changed on disk since it was queued is refused, and the queue is kept', async () => {
    const { project, root } = await makeProject(h, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const chat = await coderChat(project.id);
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'b.txt',
      oldString: 'b',
      newString: 'B',
    });
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'a',
      newString: 'A',
    });
    await writeFile(path.join(root, 'a.txt'), 'a changed by hand\n');
    const res = await h.api<ErrorBody>('POST', '/api/coder/apply', { chatId: chat.id });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/"a\.txt" changed on disk since the change was queued/);
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('b\n');
    const kept = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
    expect(kept.body.changes).toHaveLength(2);
  });

  // As root (CI) a file mode does not stop a write: the file is made immutable with chattr.
  const notRoot = process.getuid?.() !== 0;
  if (notRoot) console.log('skipped: the read-only test needs root, for chattr +i');
  test.skipIf(notRoot)(
    'a read-only file in the set: nothing is applied and the queue is kept',
    async () => {
      const { project, root } = await makeProject(h, { 'a.txt': 'a\n', 'locked.txt': 'l\n' });
      const chat = await coderChat(project.id);
      await queue(h, project, chat.id, {
        kind: 'edit',
        path: 'a.txt',
        oldString: 'a',
        newString: 'A',
      });
      await queue(h, project, chat.id, { kind: 'create', path: 'n/new.txt', content: 'n\n' });
      await queue(h, project, chat.id, {
        kind: 'edit',
        path: 'locked.txt',
        oldString: 'l',
        newString: 'L',
      });
      const locked = path.join(root, 'locked.txt');
      execFileSync('chattr', ['+i', locked]);
      immutable.push(locked);
      const res = await h.api<ErrorBody>('POST', '/api/coder/apply', { chatId: chat.id });
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/Could not write "locked\.txt".*restored/);
      expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('a\n');
      expect(await exists(path.join(root, 'n'))).toBe(false);
      const kept = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
      expect(kept.body.changes).toHaveLength(3);
      const cps = await h.api<CheckpointList>('GET', `/api/coder/checkpoints?chatId=${chat.id}`);
      expect(cps.body.checkpoints).toEqual([]);
    },
  );

  test('concurrent edits of the same file are queued one on top of the other', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => `line ${i}`);
    const { project, root } = await makeProject(h, { 'f.txt': `${lines.join('\n')}\n` });
    const chat = await coderChat(project.id);
    await Promise.all(
      lines.map((l) =>
        queue(h, project, chat.id, {
          kind: 'edit',
          path: 'f.txt',
          oldString: l,
          newString: l.toUpperCase(),
        }),
      ),
    );
    const list = await h.api<PendingList>('GET', `/api/coder/pending?chatId=${chat.id}`);
    expect(list.body.changes).toHaveLength(8);
    // Each diff is one line: every change was computed on the one before it, none lost.
    for (const c of list.body.changes) expect([c.additions, c.deletions]).toEqual([1, 1]);
    const res = await h.api<ApplyResult>('POST', '/api/coder/apply', { chatId: chat.id });
    expect(res.status).toBe(200);
    expect(await readFile(path.join(root, 'f.txt'), 'utf8')).toBe(
      `${lines.map((l) => l.toUpperCase()).join('\n')}\n`,
    );
  });

  test('a later change to a file cannot be applied without the earlier one', async () => {
    const { project } = await makeProject(h, { 'a.txt': 'one\ntwo\n' });
    const chat = await coderChat(project.id);
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'one',
      newString: '1',
    });
    const second = await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'two',
      newString: '2',
    });
    const res = await h.api<ErrorBody>('POST', '/api/coder/apply', {
      chatId: chat.id,
      ids: [second.id],
    });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/earlier pending change/);
  });
});

describe('checkpoints and rewind', () => {
  test('rewind after several applies restores the files exactly, newest checkpoints first', async () => {
    const original = { 'a.txt': 'alpha\n', 'b.txt': 'beta\n' };
    const { project, root } = await makeProject(h, original);
    const chat = await coderChat(project.id);
    const applyAll = async () => {
      const r = await h.api<ApplyResult>('POST', '/api/coder/apply', { chatId: chat.id });
      expect(r.status).toBe(200);
      return r.body.checkpoint;
    };
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'alpha',
      newString: 'ALPHA',
    });
    const first = await applyAll();
    await queue(h, project, chat.id, { kind: 'create', path: 'd/e/new.txt', content: 'new\n' });
    await queue(h, project, chat.id, { kind: 'delete', path: 'b.txt' });
    const second = await applyAll();
    await queue(h, project, chat.id, {
      kind: 'edit',
      path: 'a.txt',
      oldString: 'ALPHA',
      newString: 'omega',
    });
    const third = await applyAll();

    const list = await h.api<CheckpointList>('GET', `/api/coder/checkpoints?chatId=${chat.id}`);
    expect(list.body.checkpoints.map((c) => c.id)).toEqual([third.id, second.id, first.id]);
    expect(list.body.checkpoints[1]!.changes).toEqual([
      { path: 'd/e/new.txt', kind: 'create' },
      { path: 'b.txt', kind: 'delete' },
    ]);

    const back = await h.api<RewindResult>('POST', `/api/coder/checkpoints/${second.id}/rewind`);
    expect(back.status).toBe(200);
    expect(back.body.rewound).toEqual([third.id, second.id]);
    expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('ALPHA\n');
    expect(await readFile(path.join(root, 'b.txt'), 'utf8')).toBe('beta\n');
    expect(await exists(path.join(root, 'd'))).toBe(false);

    const again = await h.api<ErrorBody>('POST', `/api/coder/checkpoints/${third.id}/rewind`);
    expect(again.status).toBe(409);
    const toStart = await h.api<RewindResult>('POST', `/api/coder/checkpoints/${first.id}/rewind`);
    expect(toStart.body.rewound).toEqual([first.id]);
    for (const [name, content] of Object.entries(original)) {
      expect(await readFile(path.join(root, name), 'utf8')).toBe(content);
    }
    const after = await h.api<CheckpointList>('GET', `/api/coder/checkpoints?chatId=${chat.id}`);
    expect(after.body.checkpoints.every((c) => c.rewoundAt !== null)).toBe(true);
  });

  test('an unknown checkpoint is a 404', async () => {
    const res = await h.api<ErrorBody>(
      'POST',
      '/api/coder/checkpoints/00000000-0000-4000-8000-000000000000/rewind',
    );
    expect(res.status).toBe(404);
  });
});
