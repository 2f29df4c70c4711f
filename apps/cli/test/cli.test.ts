import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BOOCODE_VERSION,
  ChatList,
  PendingList,
  ProjectList,
  QuestionReply,
  ServerRunFile,
  type Chat,
} from '@boocode/protocol';
import { boocode, startWorld, type World } from './harness.ts';

let w: World;
let env: Record<string, string>;
let projectId: string;
beforeAll(async () => {
  w = await startWorld();
  env = { BOOCODE_HOME: w.home };
  const { projects } = ProjectList.parse(await w.api('GET', '/api/projects'));
  projectId = projects[0]!.id;
});
afterAll(async () => {
  await w?.close();
});

describe('finding the server', () => {
  test('the server writes run/server.json (0600) with its URL and without the token', async () => {
    const file = path.join(w.home, 'run', 'server.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    expect(ServerRunFile.parse(JSON.parse(text)).url).toBe(`${w.server.url.origin}/`);
    expect(text).not.toContain(w.server.token);
  });

  test('`boocode url` prints the address to sign in with, the one the server printed', async () => {
    const r = await boocode(['url'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(w.server.url.href);
  });

  test('no running server for the home exits 3 and says how to start it', async () => {
    const r = await boocode(['chats', 'list'], { BOOCODE_HOME: path.join(w.home, 'nothing') });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('not running');
  });

  test('a token the server refuses exits 3, and is not printed', async () => {
    const r = await boocode(['chats', 'list'], { ...env, BOOCODE_TOKEN: 'wrong-token-value' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('refused the token');
    expect(r.stderr + r.stdout).not.toContain('wrong-token-value');
  });

  test('BOOCODE_URL and BOOCODE_TOKEN reach the server without a home', async () => {
    const r = await boocode(['chats', 'list', '--json'], {
      BOOCODE_HOME: path.join(w.home, 'nothing'),
      BOOCODE_URL: w.server.url.origin,
      BOOCODE_TOKEN: w.server.token,
    });
    expect(r.code).toBe(0);
    expect(ChatList.parse(JSON.parse(r.stdout)).chats).toBeInstanceOf(Array);
  });
});

describe('usage', () => {
  test('an unknown command or a missing argument exits 2', async () => {
    expect((await boocode(['chats', 'nope'], env)).code).toBe(2);
    expect((await boocode(['inbox', 'answer', 'only-one'], env)).code).toBe(2);
    expect((await boocode(['agents', 'run', 'qwen', 'hi'], env)).code).toBe(2); // no --project
  });

  test("--version prints boocode's version (the root package.json's) and exits 0", async () => {
    const r = await boocode(['--version'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${BOOCODE_VERSION}\n`);
  });

  test('every command has --help, which exits 0', async () => {
    const commands = [
      [],
      ['chats'],
      ['chats', 'list'],
      ['chats', 'send'],
      ['pending', 'list'],
      ['pending', 'diff'],
      ['pending', 'apply'],
      ['pending', 'rewind'],
      ['agents', 'run'],
      ['agents', 'status'],
      ['inbox', 'list'],
      ['inbox', 'answer'],
      ['mcp'],
      ['backup'],
      ['restore'],
    ];
    for (const c of commands) {
      const r = await boocode([...c, '--help'], env);
      expect(r.code, c.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: boocode ${c.join(' ')}`.trim());
    }
  });
});

describe('chats', () => {
  let chat: Chat;
  beforeAll(async () => {
    chat = (await w.api('POST', '/api/chats', { title: 'cli talk' })) as Chat;
  });

  test('list --json gives the chats as the API does', async () => {
    const r = await boocode(['chats', 'list', '--json'], env);
    expect(r.code).toBe(0);
    expect(ChatList.parse(JSON.parse(r.stdout)).chats.map((c) => c.id)).toContain(chat.id);
  });

  test('send streams the reply to stdout as it comes and exits 0', async () => {
    w.model.setScript([{ content: ['Hello ', 'from ', 'the model.'] }]);
    const r = await boocode(['chats', 'send', 'cli talk', 'hi there'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Hello from the model.\n');
  });

  test('a reply that fails exits 1', async () => {
    w.model.setScript([{ fail: 'http500' }]);
    const r = await boocode(['chats', 'send', chat.id, 'again'], env);
    expect(r.code).toBe(1);
  });

  test('an unknown chat exits 1 with the reason', async () => {
    const r = await boocode(['chats', 'send', 'no such chat', 'hi'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No chat "no such chat"');
  });
});

describe('pending', () => {
  test('list, diff, apply and rewind a queued change', async () => {
    await w.api('POST', `/api/coder/projects/${projectId}/pending`, {
      path: 'price.txt',
      content: 'price: 12\n',
    });
    const list = await boocode(['pending', 'list', '--project', 'shop', '--json'], env);
    expect(list.code).toBe(0);
    const { changes } = PendingList.parse(JSON.parse(list.stdout));
    expect(changes.map((c) => c.path)).toEqual(['price.txt']);

    const diff = await boocode(['pending', 'diff', '-p', w.project], env);
    expect(diff.stdout).toContain(
      '--- a/price.txt\n+++ b/price.txt\n@@ -1,1 +1,1 @@\n-price: 10\n+price: 12',
    );

    const applied = await boocode(['pending', 'apply', '-p', 'shop'], env);
    expect(applied.code).toBe(0);
    expect(await readFile(path.join(w.project, 'price.txt'), 'utf8')).toBe('price: 12\n');

    const rewound = await boocode(['pending', 'rewind', '-p', 'shop'], env);
    expect(rewound.code).toBe(0);
    expect(await readFile(path.join(w.project, 'price.txt'), 'utf8')).toBe('price: 10\n');
  });

  test("--chat narrows the list to a coder chat's changes", async () => {
    const { chat } = (await w.api('POST', '/api/coder/chats', { projectId })) as { chat: Chat };
    await w.api('POST', `/api/coder/projects/${projectId}/pending`, {
      path: 'chat-only.txt',
      content: 'x\n',
      chatId: chat.id,
    });
    const r = await boocode(['pending', 'list', '--chat', chat.id, '--json'], env);
    expect(r.code).toBe(0);
    expect(PendingList.parse(JSON.parse(r.stdout)).changes.map((c) => c.path)).toEqual([
      'chat-only.txt',
    ]);
  });

  test('without a scope it is a usage error; an unknown project a failure', async () => {
    expect((await boocode(['pending', 'list'], env)).code).toBe(2);
    const r = await boocode(['pending', 'list', '-p', 'nowhere'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No project "nowhere"');
  });
});

describe('agents and inbox', () => {
  test('status lists no sessions on a fresh server', async () => {
    const r = await boocode(['agents', 'status'], env);
    expect(r).toMatchObject({ code: 0, stdout: 'No agent sessions.\n' });
  });

  test('a provider that is turned off fails with the reason and exit 1', async () => {
    const r = await boocode(['agents', 'run', 'qwen', 'hello', '-p', 'shop'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/qwen/i);
  });

  test('the inbox is empty, and answering what is not there exits 1', async () => {
    const list = await boocode(['inbox', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual({ items: [] });
    const r = await boocode(['inbox', 'answer', '00000000-0000-4000-8000-000000000000', 'x'], env);
    expect(r.code).toBe(1);
  });

  test('a question in the inbox is listed and answered with text', async () => {
    const asked = QuestionReply.parse(
      await w.api('POST', '/api/coder/questions', { question: 'Ship it?', asker: 'claude' }),
    ).question;
    const list = await boocode(['inbox', 'list'], env);
    expect(list.stdout).toContain(`${asked.id}  claude asks: Ship it?`);
    const r = await boocode(['inbox', 'answer', asked.id, 'Yes, on Monday.'], env);
    expect(r).toMatchObject({ code: 0, stdout: 'Answered.\n' });
    const read = await w.api('GET', `/api/coder/questions/${asked.id}`);
    expect(QuestionReply.parse(read).question.answer).toBe('Yes, on Monday.');
  });
});
