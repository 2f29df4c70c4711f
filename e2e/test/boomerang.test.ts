import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fakeAcpAgent,
  lastUserText,
  makeGitRepo,
  type ChatRequest,
  type Reply,
} from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

// Boomerang in the browser: the coder pane's own loop (BooCode) dispatches to real qwen and to the
// fake ACP agent that crashes; the task tree shows both subtasks and opens one in its own pane.
const qwenBin = fileURLToPath(new URL('../../apps/coder/node_modules/.bin/qwen', import.meta.url));
const hasQwen = existsSync(qwenBin);
if (!hasQwen) console.log(`skipping the Boomerang e2e test: ${qwenBin} is missing (pnpm install)`);

let w: World;
let tmp: string;
let context: BrowserContext;
let page: Page;

/** The parent dispatches two subtasks, then answers; qwen answers SUBTASK-A; side requests {}. */
function script(req: ChatRequest): Reply {
  const tools = ((req.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
  if (tools.includes('dispatch')) {
    const lastUser = req.messages.map((m) => m.role).lastIndexOf('user');
    if (req.messages.slice(lastUser).some((m) => m.role === 'tool'))
      return { content: ['Both subtasks reported back.'] };
    const call = (provider: string, prompt: string) => ({
      name: 'dispatch',
      arguments: JSON.stringify({ provider, prompt }),
    });
    return {
      toolCalls: [
        call('qwen', 'SUBTASK-A: say hello\nmore detail'),
        call('fake', 'SUBTASK-C: crash'),
      ],
    };
  }
  if (lastUserText(req).includes('SUBTASK-A')) return { content: ['Hello from the subtask.'] };
  return { content: ['{}'] };
}

beforeAll(async () => {
  if (!hasQwen) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-boomerang-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'price.txt': 'price: 10\n' });
  const git = ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...git, 'add', '-A']);
  execFileSync('git', [...git, 'commit', '-qm', 'first']);
  const off = { enabled: false };
  const providers = {
    providers: {
      claude: off,
      opencode: off,
      copilot: off,
      fake: { label: 'Fake agent', driver: 'acp', ...fakeAcpAgent('crash') },
    },
  };
  w = await startWorld({ BOOCODE_PROJECTS: repo }, (home) =>
    writeFile(path.join(home, 'coder-providers.json'), JSON.stringify(providers)),
  );
  w.model.setScript(script);
  ({ context, page } = await w.open());
});
afterAll(async () => {
  await context?.close();
  await w?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasQwen)('Boomerang in the coder pane', () => {
  it('shows each dispatch as a subtask row with its status, and Open shows the subtask in a pane of its own', async () => {
    await page.getByRole('button', { name: 'New coder' }).click();
    const picker = page.getByRole('combobox', { name: 'Project' }).last();
    await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
    await page.getByRole('button', { name: 'Open coder' }).click();
    const pane = page.getByRole('region', { name: 'Coder · shop' });
    const box = pane.getByRole('textbox', { name: 'Message' });
    await box.fill('split this up');
    await box.press('Enter');
    await pane.getByText('Both subtasks reported back.').waitFor();
    const qwen = pane.getByRole('group', { name: 'Subtask qwen' });
    const fake = pane.getByRole('group', { name: 'Subtask fake' });
    expect(await qwen.getByText('SUBTASK-A: say hello').textContent()).not.toContain('more');
    expect(await qwen.getByRole('status', { name: 'Subtask status' }).textContent()).toBe('done');
    expect(await fake.getByRole('status', { name: 'Subtask status' }).textContent()).toBe('failed');
    await qwen.getByRole('button', { name: 'Open the qwen subtask' }).click();
    // The subtask's own coder chat, on qwen, with its answer.
    const panes = page.getByRole('region', { name: 'Coder · shop' });
    await expect.poll(() => panes.count()).toBe(2);
    await panes.filter({ hasText: 'Hello from the subtask.' }).waitFor();
  });
});
