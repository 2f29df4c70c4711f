import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { InboxList, type InboxItem } from '@boocode/protocol';
import { BIN, startWorld, type World } from './harness.ts';

let w: World;
let client: Client;
beforeAll(async () => {
  w = await startWorld();
  client = new Client({ name: 'cli-test', version: '0.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp'],
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', BOOCODE_HOME: w.home },
      stderr: 'inherit',
    }),
  );
});
afterAll(async () => {
  await client?.close();
  await w?.close();
});

async function call(name: string, args: Record<string, unknown>) {
  const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { text, isError: r.isError === true };
}

test('boocode mcp lists its six tools', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual([
    'ask_human',
    'dispatch',
    'list_pending',
    'queue_edit',
    'read_file',
    'search',
  ]);
});

test('read_file reads a file of the project named by its name or its path', async () => {
  expect(await call('read_file', { project: 'shop', path: 'src/app.ts' })).toEqual({
    text: '1\texport const answer = 42;',
    isError: false,
  });
  const byPath = await call('read_file', { project: w.project, path: 'price.txt' });
  expect(byPath.text).toBe('1\tprice: 10');
});

test('read_file refuses a path outside the project, as a tool error', async () => {
  const r = await call('read_file', { project: 'shop', path: '../../../etc/passwd' });
  expect(r.isError).toBe(true);
  expect(r.text).not.toContain('root:');
});

test('search answers path:line: text', async () => {
  expect(await call('search', { project: 'shop', query: 'answer' })).toEqual({
    text: 'src/app.ts:1: export const answer = 42;',
    isError: false,
  });
});

test('queue_edit queues for review without writing, and list_pending shows it', async () => {
  const q = await call('queue_edit', { project: 'shop', path: 'notes.md', content: '# notes\n' });
  expect(q.isError).toBe(false);
  expect(q.text).toMatch(/^Queued for review: create notes\.md \(\+1 -0\)/);
  await expect(readFile(path.join(w.project, 'notes.md'), 'utf8')).rejects.toThrow(/ENOENT/);
  const pending = await call('list_pending', { project: 'shop' });
  const changes = JSON.parse(pending.text) as { path: string; kind: string }[];
  expect(changes.map((c) => [c.path, c.kind])).toEqual([['notes.md', 'create']]);
});

test('an unknown project is a tool error naming the known ones', async () => {
  const r = await call('list_pending', { project: 'nowhere' });
  expect(r).toEqual({ isError: true, text: 'No project "nowhere" (known: shop).' });
});

test('ask_human waits in the Inbox, named after its client, and answers what the human wrote', async () => {
  const asking = call('ask_human', { question: 'Which colour?', project: 'shop' });
  let waiting: InboxItem | undefined;
  await expect
    .poll(async () => {
      waiting = InboxList.parse(await w.api('GET', '/api/coder/inbox')).items[0];
      return waiting?.kind;
    })
    .toBe('question');
  if (waiting?.kind !== 'question') throw new Error('unreachable');
  expect(waiting).toMatchObject({ asker: 'cli-test', question: 'Which colour?' });
  await w.api('POST', `/api/coder/questions/${waiting.questionId}/answer`, { answer: 'Teal.' });
  expect(await asking).toEqual({ isError: false, text: 'Teal.' });
});

test('ask_human given up by its client leaves the Inbox', async () => {
  const controller = new AbortController();
  const asking = client
    .callTool({ name: 'ask_human', arguments: { question: 'Still there?' } }, undefined, {
      signal: controller.signal,
    })
    .catch((err: unknown) => err);
  await expect
    .poll(async () => InboxList.parse(await w.api('GET', '/api/coder/inbox')).items.length)
    .toBe(1);
  controller.abort();
  await asking;
  await expect
    .poll(async () => InboxList.parse(await w.api('GET', '/api/coder/inbox')).items.length)
    .toBe(0);
});

test('dispatch to a provider that is off returns the failure as a tool error', async () => {
  execFileSync('git', ['add', '-A'], { cwd: w.project });
  const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...id, 'commit', '-qm', 'first'], { cwd: w.project });
  const r = await call('dispatch', { provider: 'qwen', project: 'shop', prompt: 'hello' });
  expect(r.isError).toBe(true);
  expect(r.text).toMatch(/qwen/i);
});
