import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeGitRepo } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
let tmp: string;
let repo: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-pty-'));
  repo = await makeGitRepo(path.join(tmp, 'shop'), { 'README.md': '# shop\n' });
  const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync('git', [...id, 'commit', '-qm', 'first'], { cwd: repo });
  // A CLI without a protocol, added by the user before the server starts: a plain shell.
  const home = path.join(tmp, 'home');
  await mkdir(home);
  const providers = {
    shell: {
      label: 'Shell',
      driver: 'pty',
      command: '/bin/bash',
      args: ['--noprofile', '--norc'],
    },
  };
  await writeFile(path.join(home, 'coder-providers.json'), JSON.stringify({ providers }));
  w = await startWorld({ BOOCODE_PROJECTS: repo, BOOCODE_HOME: home });
});
beforeEach(async () => {
  await w.db.sql`delete from workspaces`;
});
afterAll(async () => {
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});

// The browser shares two cores with the server, coder, booterm and tmux: give the page time.
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 20_000 });
const screenText = async (pane: Locator) =>
  (await pane.getByRole('list').first().textContent()) ?? '';

/** A signed-in page whose terminals keep their rows as text (xterm.js screen reader mode). */
async function open(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('boocode:terminal-screen-reader', '1'));
  const page = await context.newPage();
  await page.goto(w.server.url.href);
  return { context, page };
}

/** A new coder pane on the project with the Shell provider started: its prompt is shown. */
async function startShell(page: Page): Promise<{ pane: Locator; side: Locator }> {
  await page.getByRole('button', { name: 'New coder' }).click();
  const picker = page.getByRole('combobox', { name: 'Project' }).last();
  await poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
  await page.getByRole('button', { name: 'Open coder' }).click();
  const pane = page.getByRole('region', { name: 'Coder · shop' });
  await pane.getByRole('combobox', { name: 'Provider' }).selectOption({ label: 'Shell' });
  await pane.getByRole('button', { name: 'Start Shell' }).click();
  const side = pane.getByRole('region', { name: 'Agent terminal' });
  // The shell's prompt: it reads keys from here on.
  await poll(() => screenText(side)).toMatch(/\$ |# /);
  return { pane, side };
}

describe('a pty agent in the coder pane', () => {
  it('runs in a terminal in its worktree; Collect changes shows its file in the review panel', async () => {
    const { context, page } = await open();
    const { pane, side } = await startShell(page);
    await side.locator('.xterm').click();
    await page.keyboard.type('echo 42 > answer.txt; echo wrote-$((40+2))');
    await page.keyboard.press('Enter');
    await poll(() => screenText(side)).toContain('wrote-42');
    // Written in the session's worktree, not in the project.
    expect(existsSync(path.join(repo, 'answer.txt'))).toBe(false);

    await pane.getByRole('button', { name: 'Collect changes' }).click();
    const review = pane.getByRole('region', { name: 'Review' });
    const file = review.getByRole('region', { name: 'answer.txt' });
    await file.getByRole('table', { name: 'Diff of answer.txt' }).getByText('42').waitFor();
    expect(await file.getByText('New file').count()).toBe(1);
    await pane.getByText('Collected 1 change.').waitFor();

    // A reload shows the same terminal, still live.
    await page.reload();
    const again = page
      .getByRole('region', { name: 'Coder · shop' })
      .getByRole('region', { name: 'Agent terminal' });
    await poll(() => screenText(again)).toContain('wrote-42');

    // New session: the terminal and the session go; Start is offered again.
    const [session] = await sessions();
    await page.getByRole('button', { name: 'New session' }).click();
    // Start is offered (and enabled) once the terminal and the session are gone.
    const start = page.getByRole('button', { name: 'Start Shell' });
    await poll(async () => (await start.count()) === 1 && (await start.isEnabled())).toBe(true);
    expect((await sessions()).map((s) => s.status)).toEqual(['closed']);
    expect(existsSync(session!.worktreePath)).toBe(false);
    expect(await w.db.sql`select id from terminals`).toHaveLength(0);
    // The workspace is the server's: a pane left open would come back in the next test's page,
    // with the name its new pane gets. Closed, and that saved, before the page goes.
    await pane.getByRole('button', { name: 'Close pane' }).click();
    await poll(async () => {
      const [row] = await w.db.sql<{ layout: unknown }[]>`select layout from workspaces`;
      return JSON.stringify(row?.layout ?? null).includes('"coder"');
    }).toBe(false);
    await context.close();
  });

  it('collects what the CLI left when it exits, and the session stays idle', async () => {
    const { context, page } = await open();
    const { pane, side } = await startShell(page);
    await side.locator('.xterm').click();
    await page.keyboard.type('echo 7 > seven.txt; exit');
    await page.keyboard.press('Enter');
    // No click: the terminal's end collects the change.
    const review = pane.getByRole('region', { name: 'Review' });
    await review.getByRole('table', { name: 'Diff of seven.txt' }).getByText('7').waitFor();
    await poll(async () => (await sessions()).at(-1)?.status).toBe('idle');
    await pane.getByText('Collected 1 change.').waitFor();
    await context.close();
  });
});

/** The agent sessions, oldest first. */
function sessions(): Promise<{ status: string; worktreePath: string }[]> {
  return w.db.sql<{ status: string; worktreePath: string }[]>`
    select status, worktree_path from agent_sessions order by created_at`;
}
