import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type {
  ErrorBody,
  FileContent,
  PendingList,
  QueueWriteReply,
  SearchReply,
} from '@boocode/protocol';
import { makeProject, removeProjects, startHarness, type Harness } from '../helpers.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(removeProjects);

test('read returns a file of the project, numbered', async () => {
  const { project } = await makeProject(h, { 'src/a.ts': 'one\ntwo\n' });
  const r = await h.api<FileContent>('GET', `/api/coder/projects/${project.id}/file?path=src/a.ts`);
  expect(r.status).toBe(200);
  expect(r.body.content).toBe('1\tone\n2\ttwo');
});

test('read refuses a path outside the project with 400', async () => {
  const { project } = await makeProject(h, { 'a.txt': 'x' });
  const r = await h.api<ErrorBody>(
    'GET',
    `/api/coder/projects/${project.id}/file?path=${encodeURIComponent('../../etc/passwd')}`,
  );
  expect(r.status).toBe(400);
  expect(r.body.code).toBe('bad_request');
});

test('search finds matching lines with their paths', async () => {
  const { project } = await makeProject(h, { 'a.txt': 'alpha\nbeta\n', 'b.txt': 'gamma beta\n' });
  const r = await h.api<SearchReply>('GET', `/api/coder/projects/${project.id}/search?query=beta`);
  expect(r.status).toBe(200);
  expect(r.body.matches.map((m) => `${m.path}:${m.line}`)).toEqual(['a.txt:2', 'b.txt:1']);
});

test('a queued write waits in the pending queue and leaves the file alone', async () => {
  const { project, root } = await makeProject(h, { 'a.txt': 'old\n' });
  const r = await h.api<QueueWriteReply>('POST', `/api/coder/projects/${project.id}/pending`, {
    path: 'a.txt',
    content: 'new\n',
  });
  expect(r.status).toBe(201);
  expect(await readFile(path.join(root, 'a.txt'), 'utf8')).toBe('old\n');
  const pending = await h.api<PendingList>('GET', `/api/coder/pending?projectId=${project.id}`);
  expect(pending.body.changes.map((c) => [c.id, c.path])).toEqual([[r.body.change.id, 'a.txt']]);
});

test('a write outside the project is refused and queues nothing', async () => {
  const { project } = await makeProject(h, { 'a.txt': 'x' });
  const r = await h.api<ErrorBody>('POST', `/api/coder/projects/${project.id}/pending`, {
    path: '../escape.txt',
    content: 'x',
  });
  expect(r.status).toBe(400);
  const pending = await h.api<PendingList>('GET', `/api/coder/pending?projectId=${project.id}`);
  expect(pending.body.changes).toEqual([]);
});

test('an unknown project is 404', async () => {
  const r = await h.api<ErrorBody>(
    'GET',
    '/api/coder/projects/00000000-0000-4000-8000-000000000000/file?path=a',
  );
  expect(r.status).toBe(404);
});
