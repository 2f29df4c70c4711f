import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAgentEvents } from '@boocode/db';
import {
  fakeAcpAgent,
  lastUserText,
  makeGitRepo,
  wordTokens,
  type ChatRequest,
  type Reply,
} from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';
import { priceRound, worktreeIn } from './qwen-price.ts';

// Agent dispatch in the browser: the real server, coder and qwen (apps/coder's dependency) against
// the scripted model server, and the fake ACP agent for the crash. One world, one project, one
// coder pane: the tests run in order over the same qwen session.
const qwenBin = fileURLToPath(new URL('../../apps/coder/node_modules/.bin/qwen', import.meta.url));
const hasQwen = existsSync(qwenBin);
if (!hasQwen) console.log(`skipping the agent e2e tests: ${qwenBin} is missing (pnpm install)`);

const PRICE = 'price: 10\n';
const SLOW = wordTokens(400);

let w: World;
let tmp: string;
let file: string;
let pidFile: string;
let context: BrowserContext;
let page: Page;
let pane: Locator;

/**
 * "raise the price to N": read price.txt, then write "price: N" (qwen writes only a file read in
 * the session), then say so. "count slowly": a long, slow reply. Anything else is one of qwen's
 * side requests.
 */
function script(req: ChatRequest): Reply {
  const text = lastUserText(req);
  if (text.includes('count slowly')) return { content: SLOW, delayMs: 25 };
  const wanted = /raise the price to (\d+)/.exec(text)?.[1];
  const worktree = worktreeIn(req);
  if (!wanted || !worktree) return { content: ['{}'] };
  return priceRound(req, worktree, Number(wanted));
}

beforeAll(async () => {
  if (!hasQwen) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-agents-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'price.txt': PRICE });
  // Agents work in a worktree of the project's HEAD: the repository needs a commit.
  const git = ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...git, 'add', '-A']);
  execFileSync('git', [...git, 'commit', '-qm', 'first']);
  file = path.join(repo, 'price.txt');
  pidFile = path.join(tmp, 'fake-agent.pids');
  const fake = fakeAcpAgent('crash', pidFile);
  const providers = {
    providers: {
      fake: {
        label: 'Fake agent',
        driver: 'acp',
        command: fake.command,
        args: fake.args,
        env: fake.env,
      },
    },
  };
  w = await startWorld({ BOOCODE_PROJECTS: repo }, (home) =>
    writeFile(path.join(home, 'coder-providers.json'), JSON.stringify(providers)),
  );
  w.model.setScript(script);
  ({ context, page } = await w.open());
  pane = page.getByRole('region', { name: 'Coder · shop' });
});
afterAll(async () => {
  await context?.close();
  await w?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const combo = (name: string) => pane.getByRole('combobox', { name, exact: true });
const status = () => pane.getByRole('status', { name: 'Agent status' });
const lastGroup = () => pane.getByRole('group', { name: 'Permission request' }).last();
const diffOf = (name: string) =>
  pane.getByRole('region', { name: 'Review' }).getByRole('table', { name: `Diff of ${name}` });

async function send(text: string): Promise<void> {
  const box = pane.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
  await pane.getByRole('article', { name: 'Prompt' }).filter({ hasText: text }).waitFor();
}

async function waitIdle(): Promise<void> {
  await status().filter({ hasText: 'Idle' }).waitFor();
}

/** The permission requests of the pane's sessions, each with how often it was resolved. */
async function resolutions(): Promise<number[]> {
  const rows = await w.db.sql<{ id: string }[]>`SELECT id FROM agent_sessions`;
  const events = (await Promise.all(rows.map((r) => listAgentEvents(w.db.sql, r.id)))).flat();
  const asked = events.flatMap((f) =>
    f.event.type === 'permission.request' ? [f.event.permissionId] : [],
  );
  return asked.map(
    (id) =>
      events.filter((f) => f.event.type === 'permission.resolved' && f.event.permissionId === id)
        .length,
  );
}

describe.skipIf(!hasQwen)('an agent in the coder pane', () => {
  it('the composer bar picks Qwen Code in mode Default; the prompt and the streamed answer show', async () => {
    await page.getByRole('button', { name: 'New coder' }).click();
    const picker = page.getByRole('combobox', { name: 'Project' }).last();
    await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
    await page.getByRole('button', { name: 'Open coder' }).click();
    await combo('Provider').selectOption({ label: 'Qwen Code' });
    for (const name of ['Provider', 'Mode', 'Model', 'Thinking']) {
      expect(await combo(name).count()).toBe(1);
    }
    // The modes are the probe's: the option appears once qwen answered its handshake.
    await combo('Mode').selectOption({ label: 'Default' });
    await send('please raise the price to 12');
    await pane
      .getByRole('article', { name: 'Agent message' })
      .filter({ hasText: 'Reading the price.' })
      .waitFor();
    const sessions = await w.db.sql<{ provider: string; mode: string | null }[]>`
      SELECT provider, mode FROM agent_sessions`;
    expect(sessions).toEqual([{ provider: 'qwen', mode: 'default' }]);
  });

  it('asks permission inline and in the Inbox; Allow queues the change as a diff', async () => {
    const group = lastGroup();
    await group.getByRole('button', { name: 'Allow', exact: true }).waitFor();
    expect(await group.getByRole('button').allTextContents()).toEqual([
      'Allow All Edits',
      'Allow',
      'Reject',
    ]);
    await page.getByRole('button', { name: 'Inbox (1)' }).waitFor();
    await page.getByText('Qwen Code asks:').first().waitFor();
    await group.getByRole('button', { name: 'Allow', exact: true }).click();
    await group.getByText('Answered: Allow').waitFor();
    await diffOf('price.txt').getByText('price: 12').waitFor();
    await page.getByRole('button', { name: 'Inbox', exact: true }).waitFor();
    await pane.getByText('Done: the price is 12.').waitFor();
    await waitIdle();
    expect(await readFile(file, 'utf8')).toBe(PRICE);
  });

  it('a request answered from the Inbox popover is answered once, and the inline group says so', async () => {
    await send('now raise the price to 13');
    await page.getByRole('button', { name: 'Inbox (1)' }).click();
    const popover = page.getByRole('dialog', { name: 'Inbox' });
    await popover.getByRole('button', { name: 'Allow', exact: true }).click();
    await lastGroup().getByText('Answered: Allow').waitFor();
    await popover.getByText('No agent is waiting for you.').waitFor();
    await pane.getByText('Done: the price is 13.').waitFor();
    await waitIdle();
    expect(await lastGroup().getByRole('button').count()).toBe(0);
    expect(await resolutions()).toEqual([1, 1]);
    await page.keyboard.press('Escape');
  });

  it('a reload while a request waits shows the run and the request, which can still be answered', async () => {
    await send('then raise the price to 14');
    await lastGroup().getByRole('button', { name: 'Allow', exact: true }).waitFor();
    await page.reload();
    await pane.getByRole('article', { name: 'Prompt' }).filter({ hasText: 'to 14' }).waitFor();
    await page.getByRole('button', { name: 'Inbox (1)' }).waitFor();
    await lastGroup().getByRole('button', { name: 'Allow', exact: true }).click();
    await lastGroup().getByText('Answered: Allow').waitFor();
    await pane.getByText('Done: the price is 14.').waitFor();
    await waitIdle();
    await diffOf('price.txt').getByText('price: 14').waitFor();
    expect(await resolutions()).toEqual([1, 1, 1]);
  });

  it('Stop while the agent streams a long reply ends the turn, and the status says so', async () => {
    await send('count slowly');
    const reply = pane.getByRole('article', { name: 'Agent message' }).filter({ hasText: 't0 ' });
    await reply.waitFor();
    await pane.getByRole('button', { name: 'Stop' }).click();
    await pane.getByText('Turn stopped.').waitFor();
    await waitIdle();
    expect(await reply.textContent()).not.toContain(SLOW.at(-1)!.trim());
  });

  it('a crashing agent shows its exit code and stderr, and leaves no process behind', async () => {
    await combo('Provider').selectOption({ label: 'Fake agent' });
    await send('hello');
    const alert = pane.getByRole('alert').filter({ hasText: 'exited with code 3' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('fake agent crashed: boom');
    await status().filter({ hasText: 'Failed' }).waitFor();
    // Its pids (the agent and the helper it spawned), and any process started with its env.
    const pids = (await readFile(pidFile, 'utf8')).split(' ').map(Number);
    const bound = { timeout: 15_000 }; // coder's kill gives SIGTERM a grace before SIGKILL
    await expect.poll(() => pids.filter(running), bound).toEqual([]);
    await expect.poll(() => processesWith(`FAKE_ACP_PIDFILE=${pidFile}`), bound).toEqual([]);
  });
});

/**
 * Whether `pid` runs: a zombie does not (here PID 1 need not reap the orphans it inherits, so a
 * killed helper may linger as one).
 */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

/** Live processes whose environment holds `entry` (a zombie's environment reads empty). */
async function processesWith(entry: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const env = await readFile(`/proc/${name}/environ`, 'utf8').catch(() => '');
    if (env.split('\0').includes(entry)) found.push(Number(name));
  }
  return found;
}
