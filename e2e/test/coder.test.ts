import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

const ORIGINAL = 'export const price = 1999;\nexport const currency = "EUR";\n';
const EDITED = 'export const price = 2499;\nexport const currency = "EUR";\n';

let w: World;
let tmp: string;
let file: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-coder-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'src/price.ts': ORIGINAL });
  file = path.join(repo, 'src/price.ts');
  w = await startWorld({ BOOCODE_PROJECTS: repo });
});
afterAll(async () => {
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** One edit_file round, then an answer. */
function editThenAnswer(req: ChatRequest): Reply {
  if (req.messages.at(-1)?.role === 'tool') return { content: ['I queued the new price.'] };
  return {
    toolCalls: [
      {
        name: 'edit_file',
        arguments: JSON.stringify({
          path: 'src/price.ts',
          old_string: 'price = 1999',
          new_string: 'price = 2499',
        }),
      },
    ],
  };
}

describe('the coder pane', () => {
  it('shows the proposed edit as a diff; the file changes only on Apply, and Rewind brings it back', async () => {
    w.model.setScript(editThenAnswer);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New coder' }).click();
    const picker = page.getByRole('combobox', { name: 'Project' }).last();
    await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
    await page.getByRole('button', { name: 'Open coder' }).click();

    const pane = page.getByRole('region', { name: 'Coder · shop' });
    const box = pane.getByRole('textbox', { name: 'Message' });
    await box.fill('Raise the price to 24.99');
    await box.press('Enter');
    await pane.getByText('I queued the new price.').waitFor();

    // The queue refreshes by itself after the tool call, and shows the change as a diff.
    const review = pane.getByRole('region', { name: 'Review' });
    const diff = review.getByRole('table', { name: 'Diff of src/price.ts' });
    await diff.getByText('export const price = 2499;').waitFor();
    await expect.poll(() => diff.getByText('export const price = 1999;').count()).toBe(1);
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);

    // Side by side shows the same change in two columns.
    await review.getByRole('button', { name: 'Side by side' }).click();
    await diff.getByText('export const price = 2499;').waitFor();
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);

    await review
      .getByRole('region', { name: 'src/price.ts' })
      .getByRole('button', { name: 'Apply' })
      .click();
    await review.getByText('No pending changes.', { exact: false }).waitFor();
    await expect.poll(() => readFile(file, 'utf8')).toBe(EDITED);

    const checkpoint = review.getByRole('listitem', { name: 'Checkpoint: Edited src/price.ts' });
    await checkpoint.getByRole('button', { name: 'Rewind' }).click();
    await expect.poll(() => readFile(file, 'utf8')).toBe(ORIGINAL);
    await checkpoint.getByText('rewound', { exact: false }).waitFor();

    // Auto-apply is off by default, and the switch turns it on.
    const auto = pane.getByRole('switch', { name: 'Auto-apply' });
    expect(await auto.getAttribute('aria-checked')).toBe('false');
    await auto.click();
    await expect.poll(() => auto.getAttribute('aria-checked')).toBe('true');
    await context.close();
  });
});
