import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

const A_TS = [
  "import { b } from './b';",
  '',
  'export function a(): number {',
  '  return b(21);',
  '}',
  '',
  'export class Shape {',
  '  area(): number {',
  '    return a();',
  '  }',
  '}',
  '',
].join('\n');
const B_TS = 'export function b(n: number): number {\n  return n * 2;\n}\n';
// Another b, with a caller of its own: not a caller of the b in b.ts.
const C_TS = 'export function b(): number {\n  return 0;\n}\nexport function c() {\n  return b();\n}\n';

let w: World;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-code-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'src/a.ts': A_TS, 'src/b.ts': B_TS, 'src/c.ts': C_TS });
  w = await startWorld({ BOOCODE_PROJECTS: repo });
});
afterAll(async () => {
  await w?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The code pane, by the title it has while it shows `file` of the project. */
const codePane = (page: Page, file: string) =>
  page.getByRole('region', { name: `${file} · shop`, exact: true });

/** The line the viewer marks as the current one, once it is `n`. */
async function currentLineIs(pane: Locator, n: number): Promise<void> {
  await expect
    .poll(() => pane.locator('[aria-current="location"]').getAttribute('data-line'))
    .toBe(String(n));
}

/** Clicks the middle of the character at `column` (1-based) of line `n` of the viewer. */
async function clickChar(page: Page, pane: Locator, n: number, column: number, ctrl = false) {
  const row = pane.locator(`[data-line="${n}"] code`);
  const box = await row.evaluate((code, col) => {
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    let left = col - 1;
    for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
      if (left < t.length) {
        const range = document.createRange();
        range.setStart(t, left);
        range.setEnd(t, left + 1);
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      left -= t.length;
    }
    throw new Error(`line has no column ${col}`);
  }, column);
  if (ctrl) await page.keyboard.down('Control');
  await page.mouse.click(box.x, box.y);
  if (ctrl) await page.keyboard.up('Control');
}

/**
 * Closes the code panes, and waits for that to be saved: the workspace is the server's, and a
 * pane whose close was still to be sent when the page went would come back in the next test.
 */
async function closeCodePanes(page: Page): Promise<void> {
  const panes = page.locator('[data-pane-kind="code"]');
  for (let n = await panes.count(); n > 0; n--) {
    await panes.first().getByRole('button', { name: 'Close pane' }).click();
    await expect.poll(() => panes.count()).toBe(n - 1);
  }
  await expect
    .poll(async () => {
      const [row] = await w.db.sql<{ layout: unknown }[]>`select layout from workspaces`;
      return JSON.stringify(row?.layout ?? null).includes('"code"');
    })
    .toBe(false);
}

async function openCodePane(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Browse code' }).click();
  const picker = page.getByRole('combobox', { name: 'Project' }).last();
  await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
  await page.getByRole('button', { name: 'Open code', exact: true }).click();
  const pane = codePane(page, 'Code');
  await pane.getByRole('status').filter({ hasText: '3 files indexed' }).waitFor();
  return pane;
}

describe('the code pane', () => {
  it('opens a file from Go to file; the outline lists its symbols and moves to the one clicked', async () => {
    const { context, page } = await w.open();
    const start = await openCodePane(page);
    const goFile = start.getByRole('combobox', { name: 'Go to file' });
    await goFile.fill('src a');
    await start.getByRole('option', { name: 'a.ts src' }).waitFor();
    await goFile.press('Enter');

    const pane = codePane(page, 'a.ts');
    await pane.locator('[data-line="4"]').getByText('return b(21);').waitFor();
    const outline = pane.getByRole('region', { name: 'Outline' });
    const items = outline.getByRole('button');
    await expect
      .poll(() => items.evaluateAll((bs) => bs.map((b) => b.getAttribute('aria-label'))))
      .toEqual(['function a, line 3', 'class Shape, line 7', 'method area, line 8']);
    // The method sits under its class.
    const shape = outline.getByRole('treeitem').filter({ hasText: 'Shape' });
    await shape.getByRole('button', { name: 'method area, line 8' }).waitFor();

    await outline.getByRole('button', { name: 'method area, line 8' }).click();
    await currentLineIs(pane, 8);
    // The symbol picked is the one whose calls are shown.
    const calls = pane.getByRole('region', { name: 'Calls' });
    await calls.getByText('Callers of area').waitFor();
    await calls.getByText('No callers found in the index.').waitFor();
    await calls.getByRole('button', { name: 'Callees' }).click();
    await calls.getByText('Callees of area').waitFor();
    const callees = calls.getByRole('list', { name: 'Callees' });
    await callees.getByRole('listitem').filter({ hasText: /^a/ }).waitFor();
    await callees.getByRole('button', { name: 'src/a.ts:9' }).waitFor();

    // Enter straight after typing opens what the text finds, not the list of a keystroke before.
    const goAgain = pane.getByRole('combobox', { name: 'Go to file' });
    await goAgain.fill('c.ts');
    await goAgain.press('Enter');
    await codePane(page, 'c.ts').locator('[data-line="5"]').getByText('return b();').waitFor();
    await closeCodePanes(page);
    await context.close();
  });

  it('lists the callers of a symbol from Go to symbol, and opens a call site', async () => {
    const { context, page } = await w.open();
    const start = await openCodePane(page);
    const goSymbol = start.getByRole('combobox', { name: 'Go to symbol' });
    await goSymbol.fill('b');
    await start.getByRole('option').filter({ hasText: 'src/b.ts:1' }).waitFor();
    await goSymbol.press('ArrowDown');
    await goSymbol.press('ArrowUp');
    await goSymbol.press('Enter');

    const bPane = codePane(page, 'b.ts');
    await currentLineIs(bPane, 1);
    const callers = bPane.getByRole('region', { name: 'Calls' });
    await callers.getByText('Callers of b').waitFor();
    const list = callers.getByRole('list', { name: 'Callers' });
    await list.getByRole('listitem').filter({ hasText: /^a/ }).waitFor();
    // c calls the other b, its own: left out.
    expect(await list.getByRole('listitem').count()).toBe(1);
    await list.getByRole('button', { name: 'src/a.ts:4' }).click();

    const aPane = codePane(page, 'a.ts');
    await currentLineIs(aPane, 4);
    await closeCodePanes(page);
    await context.close();
  });

  it('goes to the definition in another file on Ctrl+click and on F12', async () => {
    const { context, page } = await w.open();
    const start = await openCodePane(page);
    const goFile = start.getByRole('combobox', { name: 'Go to file' });
    await goFile.fill('a.ts');
    await start.getByRole('option', { name: 'a.ts src' }).waitFor();
    await goFile.press('Enter');
    let pane = codePane(page, 'a.ts');
    await pane.locator('[data-line="4"]').getByText('return b(21);').waitFor();

    // "  return b(21);": the b is column 10.
    await clickChar(page, pane, 4, 10, true);
    pane = codePane(page, 'b.ts');
    await currentLineIs(pane, 1);
    await pane.locator('[data-line="2"]').getByText('return n * 2;').waitFor();

    const goBack = pane.getByRole('combobox', { name: 'Go to file' });
    await goBack.fill('a.ts');
    await pane.getByRole('option', { name: 'a.ts src' }).waitFor();
    await goBack.press('Enter');
    pane = codePane(page, 'a.ts');
    await pane.locator('[data-line="9"]').getByText('return a();').waitFor();
    // "    return a();": the caret on a (column 12), then F12: a is defined at line 3.
    await clickChar(page, pane, 9, 12);
    await page.keyboard.press('F12');
    await currentLineIs(pane, 3);

    await clickChar(page, pane, 4, 10);
    await page.keyboard.press('F12');
    await currentLineIs(codePane(page, 'b.ts'), 1);
    await closeCodePanes(page);
    await context.close();
  });

  it('opens the code pane at the line from a link in a tool result and in the reply', async () => {
    let link = '';
    w.model.setScript((req: ChatRequest): Reply => {
      const tool = req.messages.findLast((m) => m.role === 'tool');
      if (!tool) {
        const args = JSON.stringify({ name: 'area', kind: 'method' });
        return { toolCalls: [{ name: 'find_symbol', arguments: args }] };
      }
      link = /\((\/projects\/[^)\s]+)\)/.exec(String(tool.content))?.[1] ?? '';
      return { content: [`It is [here](${link}).`] };
    });
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const project = page.getByRole('combobox', { name: 'Project' });
    await expect.poll(async () => project.locator('option:checked').textContent()).toBe('shop');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Where is area?');
    await box.press('Enter');
    await page.getByText('It is').waitFor();
    expect(link).toMatch(/\/files\/src\/a\.ts#L8$/);
    const address = page.url();

    const call = page.getByRole('group', { name: 'Tool call find_symbol' });
    await call.getByText('done').waitFor();
    await call.getByText('find_symbol').click();
    await call.getByRole('link', { name: link }).click();
    const pane = codePane(page, 'a.ts');
    await currentLineIs(pane, 8);
    expect(page.url()).toBe(address);

    // The reply's own link to the same file focuses that pane rather than opening another.
    await pane.getByRole('button', { name: 'function a, line 3' }).click();
    await currentLineIs(pane, 3);
    await page.getByRole('link', { name: 'here', exact: true }).click();
    await currentLineIs(pane, 8);
    expect(await page.locator('[data-pane-kind="code"]').count()).toBe(1);
    expect(page.url()).toBe(address);
    await closeCodePanes(page);
    await context.close();
  });

  it('says why a file cannot be shown instead of a blank pane', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const project = page.getByRole('combobox', { name: 'Project' });
    await expect.poll(async () => project.locator('option:checked').textContent()).toBe('shop');
    const id = await project.inputValue();
    w.model.setScript([{ content: [`See [the file](/projects/${id}/files/src/gone.ts#L3).`] }]);
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Where?');
    await box.press('Enter');
    await page.getByRole('link', { name: 'the file', exact: true }).click();
    const pane = codePane(page, 'gone.ts');
    await pane.getByRole('alert').filter({ hasText: 'Cannot show src/gone.ts' }).waitFor();
    await closeCodePanes(page);
    await context.close();
  });
});
