// bench/code-graph: the code graph (packages/graph) over a large real tree, each figure against
// ripgrep over the same tree in the same run. The tree: this repository's apps/*/src and
// packages/*/src, and typescript's lib (.d.ts and .js; files over 1 MiB are left out by the
// indexer as in use). Figures: a cold index (files/s), the index's size in PostgreSQL, an
// incremental update after one file changes, and p50/p99 per tool query.
import { execFileSync } from 'node:child_process';
import { appendFile, cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphCounts, upsertProject, type Sql } from '@boocode/db';
import { callGraph, findReferences, findSymbol, GraphIndexer, outline } from '@boocode/graph';
import type { BenchEnv } from './env.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLES = 40;

export async function codeGraph(env: BenchEnv): Promise<void> {
  const tree = await mkdtemp(path.join(os.tmpdir(), 'boocode-graph-bench-'));
  const db = await env.newDatabase();
  const indexer = new GraphIndexer({ sql: db.sql, freshMs: 0, watch: false });
  try {
    const bytes = await buildTree(tree);
    const { project } = await upsertProject(db.sql, { name: 'bench', path: tree });

    const cold = await timed(() => indexer.track(project));
    const counts = await graphCounts(db.sql, project.id);
    const rgCold = await timed(async () => rg(tree, ['-n', '-e', 'function \\w+']));
    console.log('code-graph: tree of this repo + typescript/lib');
    console.log(
      `  cold index: ${counts.files} files (${mb(bytes)} listed), ${counts.symbols} symbols, ${counts.references} references in ${ms(cold)} = ${Math.round(counts.files / (cold / 1000))} files/s; one rg pass over the tree ${ms(rgCold)} (index = ${(cold / rgCold).toFixed(0)}x one search)`,
    );
    const size = await indexSize(db.sql);
    console.log(
      `  index size: ${mb(size)} in PostgreSQL (${(size / bytes).toFixed(1)}x the source)`,
    );

    const target = path.join(tree, 'repo/packages/graph/src/extract.ts');
    await appendFile(target, '\nexport function benchAdded() { return 1; }\n');
    const incr = await timed(() => indexer.ensureFresh(project));
    const rescan = await timed(() => indexer.ensureFresh(project));
    const found = await findSymbol(db.sql, [project.id], { name: 'benchAdded' });
    console.log(
      `  incremental, one file changed: ${ms(incr)} (found: ${found.symbols.length === 1}); re-scan, nothing changed: ${ms(rescan)}; baseline one rg search ${ms(rgCold)} (${(incr / rgCold).toFixed(2)}x)`,
    );

    const names = await sampleNames(db.sql);
    const files = await db.sql<{ path: string }[]>`
      select path from graph_files order by md5(path) limit ${SAMPLES}`;
    const ids = [project.id];
    const row = (tool: string, q: number[], base: number[]) =>
      console.log(
        `  ${tool.padEnd(16)} p50 ${ms(pct(q, 50))} p99 ${ms(pct(q, 99))} | rg p50 ${ms(pct(base, 50))} p99 ${ms(pct(base, 99))} | p50 ratio ${(pct(q, 50) / pct(base, 50)).toFixed(2)}x`,
      );
    row(
      'find_symbol',
      await each(names, (n) => findSymbol(db.sql, ids, { name: n })),
      await each(names, (n) =>
        rg(tree, ['-n', '-e', `(function|class|interface|type|def|fn|func|const)\\s+\\w*${n}`]),
      ),
    );
    row(
      'find_references',
      await each(names, (n) => findReferences(db.sql, ids, { name: n })),
      await each(names, (n) => rg(tree, ['-n', '-w', '-F', n])),
    );
    row(
      'call_graph(d=2)',
      await each(names, (n) => callGraph(db.sql, ids, { name: n, direction: 'callers', depth: 2 })),
      await each(names, (n) => rg(tree, ['-n', '-e', `\\b${n}\\(`])),
    );
    row(
      'outline',
      await each(
        files.map((f) => f.path),
        (p) => outline(db.sql, project.id, p),
      ),
      await each(
        files.map((f) => f.path),
        (p) =>
          rg(tree, [
            '-n',
            '-e',
            '^\\s*(export )?(async )?(function|class|interface|type|def|fn|func)\\b',
            p,
          ]),
      ),
    );
  } finally {
    await indexer.close();
    await db.drop();
    await rm(tree, { recursive: true, force: true });
  }
}

/** Copies the sources and typescript's lib into `tree`; the bytes of the files the graph reads. */
async function buildTree(tree: string): Promise<number> {
  for (const group of ['apps', 'packages'])
    for (const name of await readdir(path.join(repoRoot, group))) {
      const src = path.join(repoRoot, group, name, 'src');
      if (await stat(src).catch(() => null))
        await cp(src, path.join(tree, 'repo', group, name, 'src'), { recursive: true });
    }
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const tsLib = path.join(path.dirname(require.resolve('typescript/package.json')), 'lib');
  await cp(tsLib, path.join(tree, 'typescript-lib'), {
    recursive: true,
    filter: (f) => !/\.(json|md)$/.test(f) || f === tsLib,
  });
  const out = execFileSync('/usr/bin/rg', ['--files', '--no-config', tree], { encoding: 'utf8' });
  let bytes = 0;
  for (const f of out.split('\n').filter(Boolean)) {
    const st = await stat(f);
    if (/\.(ts|tsx|js|mjs|cjs|py|go|rs)$/.test(f) && st.size <= 1024 * 1024) bytes += st.size;
  }
  return bytes;
}

async function sampleNames(sql: Sql): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select distinct name from graph_symbols where kind in ('function', 'method', 'class')
      and length(name) >= 4 order by name limit 2000`;
  // A fixed spread over the sorted names: the same questions each run.
  const step = Math.max(1, Math.floor(rows.length / SAMPLES));
  return rows
    .filter((_, i) => i % step === 0)
    .slice(0, SAMPLES)
    .map((r) => r.name);
}

async function indexSize(sql: Sql): Promise<number> {
  const [r] = await sql<{ n: string }[]>`
    select (pg_total_relation_size('graph_files') + pg_total_relation_size('graph_symbols') +
      pg_total_relation_size('graph_refs') + pg_total_relation_size('graph_imports'))::text as n`;
  return Number(r!.n);
}

function rg(cwd: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    try {
      execFileSync('/usr/bin/rg', ['--no-config', '-c', ...args], { cwd, stdio: 'ignore' });
    } catch {
      // Exit 1: nothing found, a fine answer.
    }
    resolve();
  });
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

async function each<T>(items: T[], f: (x: T) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const x of items) out.push(await timed(() => f(x)));
  return out;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
