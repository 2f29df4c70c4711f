import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-tools-'));
  await makeGitRepo(path.join(tmp, 'shop'), { 'src/price.ts': 'export const price = 1999;\n' });
  await makeGitRepo(path.join(tmp, 'blog'), { 'post.md': '# Hello\n' });
  w = await startWorld({ BOOCODE_PROJECTS: path.join(tmp, 'shop') });
});
afterAll(async () => {
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** One read_file round, then an answer. */
function readThenAnswer(file: string) {
  return (req: ChatRequest): Reply =>
    req.messages.at(-1)?.role === 'tool'
      ? { content: ['The price is 19.99.'], delayMs: 5 }
      : { toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ path: file }) }] };
}

describe('tools in the browser', () => {
  it('starts a chat in the only project; the model reads a file; the call shows with its state and result', async () => {
    w.model.setScript(readThenAnswer('src/price.ts'));
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const project = page.getByRole('combobox', { name: 'Project' });
    await expect.poll(async () => project.locator('option:checked').textContent()).toBe('shop');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('What does it cost?');
    await box.press('Enter');
    await page.getByText('The price is 19.99.').waitFor();
    const call = page.getByRole('group', { name: 'Tool call read_file' });
    await call.getByText('done').waitFor();
    await call.getByText('src/price.ts').first().click();
    await call.getByText('1999', { exact: false }).waitFor();
    await context.close();
  });

  it('adds a project from the UI, and says why a bad path is refused, keeping it', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await page.getByRole('button', { name: 'Add project' }).click();
    const input = page.getByRole('textbox', { name: 'Project path' });
    await input.fill(tmp);
    await input.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Not a git repository' }).waitFor();
    expect(await input.inputValue()).toBe(tmp);
    await input.fill(path.join(tmp, 'blog'));
    await input.press('Enter');
    const project = page.getByRole('combobox', { name: 'Project' });
    await expect.poll(async () => project.locator('option:checked').textContent()).toBe('blog');
    await context.close();
  });
});
