import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GraphCalls,
  GraphDefinition,
  GraphFileList,
  GraphOutline,
  GraphReferenceList,
  GraphStatus,
  GraphSymbolList,
  Project,
  ServerFrame,
} from '@boocode/protocol';
import { makeGitRepo } from '@boocode/testkit';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
let tmp: string;
let repo: string;
let project: Project;
let ws: WsClient;

const idle = (f: ServerFrame, after: number) =>
  f.type === 'graph.progress' &&
  f.projectId === project.id &&
  f.state === 'idle' &&
  ws.frames.indexOf(f) > after;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-graph-rest-'));
  repo = path.join(tmp, 'repo');
  await makeGitRepo(repo, {
    'src/shapes.ts': [
      'export class Circle {',
      '  area() { return square(this.r) * 3; }',
      '}',
      'export function square(n: number) { return n * n; }',
    ].join('\n'),
    'src/main.ts': "import { Circle } from './shapes';\nexport const c = new Circle();\n",
  });
  h = await startHarness();
  ws = await WsClient.open(h);
  const mark = ws.frames.length - 1;
  project = (await h.api<Project>('POST', '/api/projects', { path: repo })).body;
  await ws.waitFor((f) => idle(f, mark));
});
afterAll(async () => {
  ws?.close();
  await h.close();
  await rm(tmp, { recursive: true, force: true });
});

const api = <T>(q: string) => h.api<T>('GET', `/api/projects/${project.id}/graph${q}`);

describe('code graph REST', () => {
  it('gives the status with counts once a new project is indexed, announced on the socket', async () => {
    const { status, body } = await api<GraphStatus>('');
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'idle', files: 2, languages: { typescript: 2 } });
    expect(body.symbols).toBeGreaterThanOrEqual(4);
    expect(ws.frames.some((f) => f.type === 'graph.progress' && f.state === 'indexing')).toBe(true);
  });

  it('answers outline, symbols, references, calls and definition', async () => {
    const o = (await api<GraphOutline>('/outline?path=src/shapes.ts')).body;
    expect(o.symbols.map((s) => `${s.kind} ${s.name} ${s.line}-${s.endLine}`)).toEqual([
      'class Circle 1-3',
      'method area 2-2',
      'function square 4-4',
    ]);
    const s = (await api<GraphSymbolList>('/symbols?q=circ&kind=class')).body;
    expect(s.symbols.map((x) => `${x.path}:${x.line}`)).toEqual(['src/shapes.ts:1']);
    const r = (await api<GraphReferenceList>('/references?name=Circle&path=src/main.ts')).body;
    expect(r.references.map((x) => `${x.path}:${x.line}`)).toEqual([
      'src/main.ts:1',
      'src/main.ts:2',
    ]);
    const c = (await api<GraphCalls>('/calls?name=square&direction=callers&depth=2')).body;
    expect(c.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['area->square']);
    // Seen from the file that defines it: that definition is the one followed.
    const seen = (await api<GraphCalls>('/calls?name=square&direction=callers&path=src/shapes.ts'))
      .body;
    expect(seen.roots.map((x) => x.path)).toEqual(['src/shapes.ts']);
    expect(seen.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['area->square']);
    const d = (await api<GraphDefinition>('/definition?path=src/main.ts&line=2&column=22')).body;
    expect(d.name).toBe('Circle');
    expect(d.definitions.map((x) => `${x.path}:${x.line}`)).toEqual(['src/shapes.ts:1']);
  });

  it('lists the indexed files whose path holds every word, file names that start with it first', async () => {
    const all = (await api<GraphFileList>('/files')).body;
    expect(all.files.map((f) => f.path).sort()).toEqual(['src/main.ts', 'src/shapes.ts']);
    const m = (await api<GraphFileList>('/files?q=SRC%20ma')).body;
    expect(m.files).toEqual([{ path: 'src/main.ts', language: 'typescript' }]);
    const one = (await api<GraphFileList>('/files?q=s&limit=1')).body;
    expect(one.files.map((f) => f.path)).toEqual(['src/shapes.ts']);
    expect(one.truncated).toBe(true);
    const none = (await api<GraphFileList>('/files?q=100%25_')).body;
    expect(none.files).toEqual([]);
  });

  it('reflects a file changed on disk in the next answer', async () => {
    const mark = ws.frames.length - 1;
    await writeFile(
      path.join(repo, 'src/extra.ts'),
      'export interface Polygon { sides: number }\n',
    );
    await ws.waitFor((f) => idle(f, mark));
    const s = (await api<GraphSymbolList>('/symbols?q=Polygon')).body;
    expect(s.symbols.map((x) => `${x.kind} ${x.path}:${x.line}`)).toEqual([
      'interface src/extra.ts:1',
    ]);
  });

  it('refuses bad input with 400 and a path outside the project, and an unknown project with 404', async () => {
    const cases = [
      '/calls?name=square&direction=up',
      '/calls?name=square&direction=callers&depth=9',
      '/symbols?q=',
      '/symbols?q=a&kind=banana',
      '/definition?path=src/main.ts&line=0&column=1',
      '/outline?path=../../etc/passwd',
      '/calls?name=square&direction=callers&path=../../etc/passwd',
      '/outline?path=.',
      '/references?name=x&nope=1',
      '/files?limit=0',
    ];
    for (const q of cases) {
      const res = await api<{ code: string; message: string }>(q);
      expect([q, res.status, res.body.code]).toEqual([q, 400, 'bad_request']);
      expect(res.body.message.length).toBeGreaterThan(0);
    }
    const gone = await h.api('GET', '/api/projects/00000000-0000-4000-8000-000000000000/graph');
    expect(gone.status).toBe(404);
  });

  it('answers nothing without the token', async () => {
    const res = await fetch(`${h.base}/api/projects/${project.id}/graph/symbols?q=Circle`);
    expect(res.status).toBe(401);
  });
});
