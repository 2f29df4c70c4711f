import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot, Project, ToolResultPart } from '@boocode/protocol';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startHarness, WsClient, type Harness } from '../helpers.ts';

let h: Harness;
let tmp: string;
let repo: string;
let project: Project;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-graph-tools-'));
  repo = path.join(tmp, 'repo');
  await makeGitRepo(repo, {
    'src/app.ts': [
      "import { total } from './math';",
      'export function main() { return total([1, 2]) + obj.total(); }',
    ].join('\n'),
    'src/math.ts': 'export function total(xs: number[]) { return xs.length; }\n',
    'tools/cli.py': 'def total():\n    return 0\n',
  });
  await writeFile(path.join(tmp, 'outside.ts'), 'export function secretOutside() {}\n');
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

function toolScript(calls: { name: string; args: object }[]) {
  return (req: ChatRequest): Reply => {
    const next = calls[toolMessages(req).length];
    if (next) return { toolCalls: [{ name: next.name, arguments: JSON.stringify(next.args) }] };
    return { content: ['done'] };
  };
}

async function results(calls: { name: string; args: object }[]): Promise<ToolResultPart[]> {
  const chat = (await h.api<Chat>('POST', '/api/chats', { projectId: project.id })).body;
  h.model.setScript(toolScript(calls));
  const ws = await WsClient.open(h);
  ws.subscribe(chat.id, 0);
  const sent = await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
    content: 'look',
  });
  await ws.waitForFinish(sent.body.messageId);
  ws.close();
  const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
  return snap.messages[1]!.parts.filter((p): p is ToolResultPart => p.type === 'tool_result');
}

describe('code graph tools in a chat', () => {
  it('finds a symbol fuzzily, with path:line and a link to the project view', async () => {
    const [r] = await results([{ name: 'find_symbol', args: { name: 'totl', kind: 'function' } }]);
    expect(r).toMatchObject({ ok: true });
    expect(r!.text).toContain('function total — src/math.ts:1');
    expect(r!.text).toContain(`(/projects/${project.id}/files/src/math.ts#L1)`);
    expect(r!.text).toContain('tools/cli.py:1');
  });

  it('lists references and callers, saying where the graph is only syntactic', async () => {
    const [refs, callers] = await results([
      { name: 'find_references', args: { name: 'total', path: 'src' } },
      { name: 'call_graph', args: { name: 'total', direction: 'callers' } },
    ]);
    expect(refs!.text).toContain('src/app.ts:2');
    // Uses only under src/; the definitions are every file's.
    expect(refs!.text.split('uses:')[1]).not.toContain('cli.py');
    expect(refs!.text).toMatch(/defined in 2 files/);
    expect(refs!.text).toMatch(/through a member/);
    expect(callers!.text).toContain('main -> total at src/app.ts:2');
    expect(callers!.text).toMatch(/syntactic/);
  });

  it('follows the definition a file means when call_graph is given one, inside the roots only', async () => {
    const [seen, out] = await results([
      { name: 'call_graph', args: { name: 'total', direction: 'callers', path: 'src/app.ts' } },
      { name: 'call_graph', args: { name: 'total', direction: 'callers', path: '../outside.ts' } },
    ]);
    expect(seen!.text).toContain('main -> total at src/app.ts:2');
    expect(seen!.text).toMatch(/the calls of the one in src\/math\.ts/);
    expect(out).toMatchObject({ ok: false });
  });

  it("outlines a file, and refuses a path outside the chat's roots", async () => {
    const [o, out, missing] = await results([
      { name: 'outline', args: { path: 'src/app.ts' } },
      { name: 'outline', args: { path: '../outside.ts' } },
      { name: 'outline', args: { path: 'README.md' } },
    ]);
    expect(o).toMatchObject({ ok: true });
    expect(o!.text).toContain('function main — src/app.ts:2');
    expect(o!.text).toContain('./math {total}:1');
    expect(out).toMatchObject({ ok: false });
    expect(out!.text).not.toContain('secretOutside');
    expect(missing).toMatchObject({ ok: false });
    expect(missing!.text).toMatch(/not in the code index/);
  });
});
