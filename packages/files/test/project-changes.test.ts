import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listChanges, upsertProject } from '@boocode/db';
import type { Project } from '@boocode/protocol';
import { makeGitRepo, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { ProjectChanges } from '../src/project-changes.ts';
import { tempDir } from './temp-dirs.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db.drop();
});

async function project(name: string): Promise<{ project: Project; root: string }> {
  const root = await makeGitRepo(path.join(await tempDir(), name), { 'README.md': 'hello\n' });
  const { project } = await upsertProject(db.sql, { name, path: root });
  return { project, root };
}

function open(p: Project): ProjectChanges {
  const changes = ProjectChanges.open(db.sql, p);
  if (!changes) throw new Error('no guard');
  return changes;
}

describe('ProjectChanges', () => {
  test('queues a change without writing, applies it, and a rewind puts the file back', async () => {
    const { project: p, root } = await project('one');
    const changes = open(p);
    const queued = await changes.queue(null, {
      kind: 'edit',
      path: 'README.md',
      oldString: 'hello',
      newString: 'goodbye',
    });
    expect(queued).toMatchObject({ ok: true, onTopOf: null });
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('hello\n');

    const applied = await changes.apply({}, undefined);
    if (!applied.ok) throw new Error(applied.message);
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('goodbye\n');

    expect(await changes.rewind(applied.checkpoint.id)).toMatchObject({
      ok: true,
      restored: ['README.md'],
    });
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('hello\n');
  });

  test('refuses a change past the pending bound, and takes one again once some are applied', async () => {
    const { project: p } = await project('bounded');
    const changes = ProjectChanges.open(db.sql, p, { maxPending: 2 })!;
    const create = (name: string) =>
      changes.queue(null, { kind: 'create', path: name, content: 'x' });
    expect((await create('a.txt')).ok).toBe(true);
    expect((await create('b.txt')).ok).toBe(true);
    const third = await create('c.txt');
    expect(third).toMatchObject({ ok: false, code: 'limit_reached' });
    expect(!third.ok && third.message).toMatch(/2 pending changes.*apply or reject/);
    expect(await listChanges(db.sql, { projectId: p.id })).toHaveLength(2);
    expect((await changes.apply({}, undefined)).ok).toBe(true);
    expect((await create('c.txt')).ok).toBe(true);
  });

  test('a path outside the project is refused and nothing is queued', async () => {
    const { project: p } = await project('two');
    const r = await open(p).queue(null, { kind: 'create', path: '../escape.txt', content: 'x' });
    expect(r).toMatchObject({ ok: false, code: 'outside_root' });
    expect(await listChanges(db.sql, { projectId: p.id })).toEqual([]);
  });

  test("rewind refuses another project's checkpoint and a string that is no id", async () => {
    const { project: a } = await project('three');
    const { project: b } = await project('four');
    await open(a).queue(null, { kind: 'create', path: 'new.txt', content: 'x' });
    const applied = await open(a).apply({}, undefined);
    if (!applied.ok) throw new Error(applied.message);
    expect(await open(b).rewind(applied.checkpoint.id)).toMatchObject({ code: 'not_found' });
    expect(await open(b).rewind('latest')).toMatchObject({ code: 'not_found' });
  });

  test('opens no queue on a project whose folder is gone', async () => {
    const { project: p, root } = await project('five');
    await rm(root, { recursive: true });
    expect(ProjectChanges.open(db.sql, p)).toBeNull();
  });
});
