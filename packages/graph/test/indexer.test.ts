import { mkdtemp, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertProject } from '@boocode/db';
import type { GraphProgress, Project } from '@boocode/protocol';
import { makeGitRepo } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import type { TestDatabase } from '@boocode/testkit';
import {
  callGraph,
  definitionAt,
  findReferences,
  findSymbol,
  GraphIndexer,
  outline,
} from '../src/index.ts';

let db: TestDatabase;
let dir: string;
let project: Project;
let indexer: GraphIndexer;
const frames: GraphProgress[] = [];
const errors: unknown[] = [];
const waiters: ((p: GraphProgress) => void)[] = [];

/** The next time the index goes idle after indexing something. */
const nextIndexed = () => new Promise<GraphProgress>((resolve) => waiters.push(resolve));

beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'graph-idx-'));
  await makeGitRepo(dir, {
    'src/main.ts': [
      "import { helper } from './util';",
      'export function main() { return helper(2) + run(); }',
      'function run() { return helper(1); }',
    ].join('\n'),
    'src/util.ts': 'export function helper(n: number) { return n * 2; }\n',
    'lib/tool.py': 'def tool():\n    return 1\n',
    'ignored/gen.ts': 'export function generated() {}\n',
    'README.md': '# not code\n',
    '.gitignore': 'ignored/\n',
  });
  ({ project } = await upsertProject(db.sql, { name: 'p', path: dir }));
  indexer = new GraphIndexer({
    sql: db.sql,
    freshMs: 60_000,
    onError: (err) => errors.push(err),
    onProgress: (p) => {
      const was = frames.at(-1)?.state;
      frames.push(p);
      if (p.state === 'idle' && was === 'indexing') for (const w of waiters.splice(0)) w(p);
    },
  });
  await indexer.track(project);
});

afterAll(async () => {
  await indexer?.close();
  await db?.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('GraphIndexer', () => {
  it('indexes the source files git does not ignore, with progress from indexing to idle', async () => {
    expect(indexer.progress(project.id)).toMatchObject({
      state: 'idle',
      filesDone: 3,
      filesTotal: 3,
    });
    expect(frames[0]).toMatchObject({ state: 'indexing', filesDone: 0, filesTotal: 3 });
    expect(errors).toEqual([]);
    const o = await outline(db.sql, project.id, 'src/main.ts');
    expect(o.symbols.map((s) => s.name)).toEqual(['main', 'run']);
    expect((await findSymbol(db.sql, [project.id], { name: 'generated' })).symbols).toEqual([]);
    expect((await findSymbol(db.sql, [project.id], { name: 'tool' })).symbols[0]).toMatchObject({
      path: 'lib/tool.py',
      kind: 'function',
    });
  });

  it('answers references, callers to a depth, callees and go-to-definition', async () => {
    const refs = await findReferences(db.sql, [project.id], { name: 'helper' });
    expect(refs.references.map((r) => `${r.path}:${r.line}:${r.enclosing}`)).toEqual([
      'src/main.ts:1:null',
      'src/main.ts:2:main',
      'src/main.ts:3:run',
    ]);
    const callers = await callGraph(db.sql, [project.id], {
      name: 'helper',
      direction: 'callers',
      depth: 2,
    });
    expect(callers.edges.map((e) => `${e.depth} ${e.from}->${e.to}`)).toEqual([
      '1 main->helper',
      '1 run->helper',
      '2 main->run',
    ]);
    expect(callers.notes.join(' ')).toMatch(/syntactic/);
    const callees = await callGraph(db.sql, [project.id], { name: 'main', direction: 'callees' });
    expect(callees.edges.map((e) => e.to)).toEqual(['helper', 'run']);
    expect(callees.edges[0]!.definitions[0]).toMatchObject({ path: 'src/util.ts', line: 1 });
    const def = await definitionAt(db.sql, [project.id], {
      projectId: project.id,
      path: 'src/main.ts',
      line: 2,
      column: 35,
    });
    expect(def.name).toBe('helper');
    expect(def.definitions.map((d) => d.path)).toEqual(['src/util.ts']);
  });

  it('sees a file changed on disk through its watcher, parsing only that file', async () => {
    const indexed = nextIndexed();
    await writeFile(
      path.join(dir, 'src/util.ts'),
      'export function helper(n: number) { return n; }\nexport function added() {}\n',
    );
    expect(await indexed).toMatchObject({ state: 'idle', filesDone: 1, filesTotal: 1 });
    expect((await findSymbol(db.sql, [project.id], { name: 'added' })).symbols[0]).toMatchObject({
      path: 'src/util.ts',
      line: 2,
    });
  });

  it('removes a deleted file and keeps a file whose mtime moved but content did not', async () => {
    const [before] = await db.sql<{ indexedAt: Date }[]>`
      select indexed_at from graph_files where path = 'src/main.ts'`;
    const later = new Date(Date.now() + 5000);
    const touched = nextIndexed();
    await utimes(path.join(dir, 'src/main.ts'), later, later);
    await touched;
    const removed = nextIndexed();
    await unlink(path.join(dir, 'lib/tool.py'));
    await removed;
    expect((await findSymbol(db.sql, [project.id], { name: 'tool' })).symbols).toEqual([]);
    const [after] = await db.sql<{ indexedAt: Date }[]>`
      select indexed_at from graph_files where path = 'src/main.ts'`;
    expect(after!.indexedAt).toEqual(before!.indexedAt);
  });

  it('reads as indexing from the moment a project is given until its first scan ends', async () => {
    const bare = new GraphIndexer({ sql: db.sql, watch: false });
    try {
      const scanned = bare.track(project);
      expect(bare.progress(project.id)).toMatchObject({ state: 'indexing', scannedAt: null });
      await scanned;
      expect(bare.progress(project.id)).toMatchObject({ state: 'idle' });
      expect(bare.progress(project.id)!.scannedAt).not.toBeNull();
    } finally {
      await bare.close();
    }
  });

  it('finds a change at the next query by a re-scan when nothing watches', async () => {
    const bare = new GraphIndexer({ sql: db.sql, freshMs: 0, watch: false });
    try {
      await bare.track(project);
      await writeFile(path.join(dir, 'src/late.ts'), 'export class Late {}\n');
      await bare.ensureFresh(project);
      expect((await findSymbol(db.sql, [project.id], { name: 'Late' })).symbols).toHaveLength(1);
    } finally {
      await bare.close();
    }
  });

  it('tells which of two same-named definitions a file means, by its import', async () => {
    const bare = new GraphIndexer({ sql: db.sql, freshMs: 0, watch: false });
    const twin = 'export function twin() {}\n';
    const use = (fn: string, from: string) =>
      `import { twin } from '${from}';\nexport function ${fn}() { twin(); }\n`;
    try {
      await bare.track(project);
      await writeFile(path.join(dir, 'src/one.ts'), twin);
      await writeFile(path.join(dir, 'src/two.ts'), twin);
      await writeFile(path.join(dir, 'src/use.ts'), use('useTwo', './two.js'));
      await writeFile(path.join(dir, 'src/other.ts'), use('useOne', './one'));
      // A call through a member: which twin it is cannot be told, so it is kept.
      await writeFile(
        path.join(dir, 'src/member.ts'),
        'export function viaMember(o: any) { o.twin(); }\n',
      );
      await bare.ensureFresh(project);

      // Go to definition: the imported one first, saying why.
      const at = { projectId: project.id, path: 'src/use.ts' };
      const def = await definitionAt(db.sql, [project.id], { ...at, line: 2, column: 28 });
      expect(def.definitions.map((d) => d.path)).toEqual(['src/two.ts', 'src/one.ts']);
      expect(def.meant).toBe(true);
      expect(def.notes.join(' ')).toMatch(/the one in src\/two\.ts, which this file imports/);

      // Callers of the twin in two.ts, asked from two.ts or from a file that imports it.
      const ask = (from?: { projectId: string; path: string }) =>
        callGraph(db.sql, [project.id], { name: 'twin', direction: 'callers', from });
      for (const from of [{ projectId: project.id, path: 'src/two.ts' }, at]) {
        const calls = await ask(from);
        expect(calls.edges.map((e) => `${e.from} ${e.site.path}`)).toEqual([
          'viaMember src/member.ts',
          'useTwo src/use.ts',
        ]);
        expect(calls.roots.map((r) => r.path)).toEqual(['src/two.ts']);
        expect(calls.notes.join(' ')).toMatch(
          /the one in src\/two\.ts.*\(1 call of the others left out\)/,
        );
      }
      // Without a file to tell by, both, and a note that they are mixed.
      const mixed = await ask();
      expect(mixed.edges.map((e) => e.from)).toEqual(['viaMember', 'useOne', 'useTwo']);
      expect(mixed.notes.join(' ')).toMatch(/mixed/);

      // Callees of useOne lead to the twin in one.ts only.
      const callees = await callGraph(db.sql, [project.id], {
        name: 'useOne',
        direction: 'callees',
        from: { projectId: project.id, path: 'src/other.ts' },
      });
      expect(callees.edges[0]!.definitions.map((d) => d.path)).toEqual(['src/one.ts']);
    } finally {
      await bare.close();
    }
  });
});
