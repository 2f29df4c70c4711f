import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-providers-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'README.md': '# shop\n' });
  w = await startWorld({ BOOCODE_PROJECTS: repo }, async () => {}); // the shipped defaults
});
afterAll(async () => {
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});

async function openProviders(page: Page) {
  const pane = page.getByRole('region', { name: 'Coder · shop' });
  await pane.getByRole('button', { name: 'Providers' }).click();
  const dialog = page.getByRole('dialog', { name: 'Providers' });
  await dialog.getByRole('listitem', { name: 'BooCode' }).waitFor();
  return dialog;
}

describe('the Providers dialog', () => {
  it('lists boocode as installed; a provider turned off stays off after a reload and in the file', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New coder' }).click();
    const picker = page.getByRole('combobox', { name: 'Project' }).last();
    await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
    await page.getByRole('button', { name: 'Open coder' }).click();

    let dialog = await openProviders(page);
    const boocode = dialog.getByRole('listitem', { name: 'BooCode' });
    expect(await boocode.getByText('installed', { exact: true }).count()).toBe(1);
    await dialog.getByRole('listitem', { name: 'Cursor' }).getByText('not installed').waitFor();

    const qwen = dialog.getByRole('switch', { name: 'Enable Qwen Code' });
    expect(await qwen.getAttribute('aria-checked')).toBe('true');
    await qwen.click();
    await expect.poll(() => qwen.getAttribute('aria-checked')).toBe('false');
    await expect.poll(() => qwen.isDisabled()).toBe(false);

    await page.reload();
    dialog = await openProviders(page);
    const after = dialog.getByRole('switch', { name: 'Enable Qwen Code' });
    expect(await after.getAttribute('aria-checked')).toBe('false');
    const file = JSON.parse(await readFile(path.join(w.home, 'coder-providers.json'), 'utf8')) as {
      providers: Record<string, { enabled: boolean }>;
    };
    expect(file.providers.qwen?.enabled).toBe(false);
    expect(file.providers.claude?.enabled).toBe(true);
    await context.close();
  });

  it('leaves a provider to its own configuration by its switch, written to the file', async () => {
    const { context, page } = await w.open();
    const dialog = await openProviders(page);
    const own = dialog.getByRole('switch', { name: 'opencode uses its own configuration' });
    expect(await own.getAttribute('aria-checked')).toBe('false');
    await own.click();
    await dialog.getByText('Its own configuration and login').waitFor();
    const saved = async () => {
      const text = await readFile(path.join(w.home, 'coder-providers.json'), 'utf8');
      return (JSON.parse(text) as { providers: Record<string, { ownConfig?: boolean }> }).providers
        .opencode?.ownConfig;
    };
    await expect.poll(saved).toBe(true);
    await expect.poll(() => own.isDisabled()).toBe(false);
    await context.close();
  });
});
