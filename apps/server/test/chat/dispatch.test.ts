import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat } from '@boocode/db';
import { DispatchResult, type ChatSnapshot, type Part, type Project } from '@boocode/protocol';
import {
  fakeAcpAgent,
  freePort,
  lastUserText,
  makeGitRepo,
  wordTokens,
  type ChatRequest,
  type Reply,
} from '@boocode/testkit';
import { startHarness, TOKEN, WsClient, type Harness } from '../helpers.ts';

// Boomerang: the coder chat's own loop hands tasks to agents with `dispatch`. The real server (in
// process), the real coder (its entry point, sharing the test database and $BOOCODE_HOME/token),
// real qwen (apps/coder's dependency) and the fake ACP agent that crashes; only the model is
// scripted, for the parent and for qwen alike.
const coderDir = fileURLToPath(new URL('../../../coder', import.meta.url));
const hasQwen = existsSync(path.join(coderDir, 'node_modules/.bin/qwen'));
if (!hasQwen) console.log('skipping the dispatch tests: qwen is missing (pnpm install)');

let h: Harness;
let tmp: string;
let coder: ChildProcess;
let project: Project;
let subtaskStarted: () => void = () => {};

/** The parent's tool calls for a prompt "dispatch: <provider> <prompt> | <provider> <prompt>". */
function parentScript(req: ChatRequest): Reply {
  const text = lastUserText(req);
  const lastUser = req.messages.map((m) => m.role).lastIndexOf('user');
  const results = req.messages.slice(lastUser).filter((m) => m.role === 'tool').length;
  if (results > 0) return { content: [`All ${results} subtasks reported.`] };
  const tasks = text.replace(/^dispatch: /, '').split(' | ');
  return {
    toolCalls: tasks.map((t) => {
      const [provider, ...words] = t.split(' ');
      return { name: 'dispatch', arguments: JSON.stringify({ provider, prompt: words.join(' ') }) };
    }),
  };
}

/** qwen's requests: SUBTASK-A answers at once, SUBTASK-SLOW slowly; its side requests get {}. */
function script(req: ChatRequest): Reply {
  const tools = ((req.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
  if (tools.includes('dispatch')) return parentScript(req);
  const text = lastUserText(req);
  if (text.includes('SUBTASK-A')) return { content: ['Sub A ', 'is done.'] };
  if (text.includes('SUBTASK-SLOW')) {
    subtaskStarted();
    return { content: wordTokens(2000), delayMs: 25 };
  }
  return { content: ['{}'] };
}

beforeAll(async () => {
  if (!hasQwen) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-dispatch-'));
  const home = path.join(tmp, 'home');
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'price.txt': 'price: 10\n' });
  const git = ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...git, 'add', '-A']);
  execFileSync('git', [...git, 'commit', '-qm', 'first']);
  execFileSync('mkdir', ['-p', home]);
  await writeFile(path.join(home, 'token'), TOKEN, { mode: 0o600 });
  const off = { enabled: false };
  const fake = fakeAcpAgent('crash');
  const providers = {
    providers: {
      claude: off,
      opencode: off,
      copilot: off,
      fake: { label: 'Fake', driver: 'acp', ...fake },
    },
  };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify(providers));
  const coderPort = await freePort();
  h = await startHarness({ BOOCODE_HOME: home, CODER_PORT: String(coderPort) });
  h.model.setScript(script);
  coder = spawn(process.execPath, ['--import', 'tsx', path.join(coderDir, 'src/main.ts')], {
    cwd: coderDir,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      BOOCODE_HOME: home,
      DATABASE_URL: h.db.url,
      LLM_BASE_URL: h.model.url,
      PORT: new URL(h.base).port,
      CODER_PORT: String(coderPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('coder is running')) resolve();
    };
    coder.stdout!.on('data', onData);
    coder.stderr!.on('data', onData);
    coder.once('exit', (code) => reject(new Error(`coder exited (${code}): ${out}`)));
  });
  project = (await h.api<Project>('POST', '/api/projects', { path: repo })).body;
});
afterAll(async () => {
  if (coder && coder.exitCode === null) {
    const exited = new Promise((r) => coder.once('exit', r));
    coder.kill('SIGTERM');
    await exited;
  }
  await h?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Sends `content` to a new coder chat; resolves with its reply's parts once `until` resolves. */
async function ask(content: string, during?: (chatId: string) => Promise<void>): Promise<Part[]> {
  const chat = await createChat(h.db.sql, {
    title: 'boomerang',
    model: null,
    projectId: project.id,
    kind: 'coder',
  });
  const ws = await WsClient.open(h);
  ws.subscribe(chat.id, 0);
  const { messageId } = (
    await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, { content })
  ).body;
  await during?.(chat.id);
  await ws.waitForFinish(messageId);
  ws.close();
  const snap = (await h.api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body;
  return snap.messages.at(-1)!.parts;
}

const results = (parts: Part[]) =>
  parts.flatMap((p) =>
    p.type === 'tool_result' ? [DispatchResult.parse(JSON.parse(p.text))] : [],
  );
const finalText = (parts: Part[]) => parts.findLast((p) => p.type === 'text');

describe.skipIf(!hasQwen)('dispatch in a coder chat (Boomerang)', () => {
  it('dispatches in one reply run side by side; a done one, an unknown and a disabled provider all come back, and the reply goes on', async () => {
    const parts = await ask(
      'dispatch: qwen SUBTASK-A say hi | nope SUBTASK-B anything | claude SUBTASK-D anything',
    );
    // Every call was running before any result came.
    expect(parts.map((p) => p.type)).toEqual([
      ...Array<string>(3).fill('tool_call'),
      ...Array<string>(3).fill('tool_result'),
      'text',
    ]);
    const [a, b, d] = results(parts);
    expect(a).toMatchObject({ status: 'done', summary: 'Sub A is done.', changedPaths: [] });
    expect(a!.sessionId).toEqual(expect.any(String));
    // The task tree: the call's part names the subtask's session, its own chat on the project.
    const [callA, callB] = parts.filter((p) => p.type === 'tool_call');
    expect(callA).toMatchObject({
      state: 'done',
      subtask: { sessionId: a!.sessionId, projectId: project.id, provider: 'qwen' },
    });
    expect(callB).toMatchObject({ state: 'error' });
    expect(callB).not.toHaveProperty('subtask');
    expect(b).toMatchObject({ status: 'failed', sessionId: null });
    expect(b!.error).toMatch(/nope/);
    expect(d).toMatchObject({ status: 'failed', sessionId: null });
    expect(d!.error).toBeTruthy();
    expect(finalText(parts)).toMatchObject({ text: 'All 3 subtasks reported.' });
  });

  it('a subtask whose agent crashes returns a failed result, and the parent finishes', async () => {
    const parts = await ask('dispatch: fake SUBTASK-C crash please');
    const [c] = results(parts);
    expect(c).toMatchObject({ status: 'failed' });
    expect(c!.sessionId).toEqual(expect.any(String));
    expect(c!.error).toBeTruthy();
    expect(finalText(parts)).toMatchObject({ text: 'All 1 subtasks reported.' });
  });

  it("stopping the parent cancels its running subtask's turn", async () => {
    const started = new Promise<void>((r) => (subtaskStarted = r));
    let aborted: Promise<void> | null = null;
    const parts = await ask('dispatch: qwen SUBTASK-SLOW count', async (chatId) => {
      await started;
      aborted = h.model.nextAbort();
      await h.api('POST', `/api/chats/${chatId}/stop`);
    });
    // qwen's model request went away: the subtask's turn was cancelled, not left running.
    await aborted;
    const [s] = results(parts);
    expect(s).toMatchObject({ status: 'cancelled' });
    expect(s!.sessionId).toEqual(expect.any(String));
  });
});
