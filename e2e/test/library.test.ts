import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastUserText, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

const isSummaryRequest = (req: ChatRequest) =>
  req.messages.some((m) => m.role === 'system' && String(m.content).startsWith('You compact'));
const systemOf = (req: ChatRequest) =>
  req.messages
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content))
    .join('\n');

describe('agents, skills and compaction in the browser', () => {
  it('starts a new chat with an agent picked on the new-chat screen', async () => {
    w.model.setScript([{ content: ['Reviewed.'] }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    // Where to add one's own: this boocode's home, wherever BOOCODE_HOME points.
    await page
      .getByText(`add your own as Markdown files in ${path.join(w.home, 'agents')}.`)
      .waitFor();
    await page.getByRole('combobox', { name: 'Agent' }).selectOption({ label: 'Code reviewer' });
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Review this');
    await box.press('Enter');
    await page.getByRole('article', { name: 'assistant message' }).getByText('Reviewed.').waitFor();
    await page.getByTitle('The agent this chat started with').getByText('Code reviewer').waitFor();
    expect(systemOf(w.model.requests.at(-1)!)).toMatch(/^You are a careful code reviewer/);
    await context.close();
  });

  it('lists the skills the model can load', async () => {
    const dir = path.join(w.home, 'skills', 'deploy');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'SKILL.md'),
      '---\nname: deploy\ndescription: How to deploy the app\n---\nRun make deploy.\n',
    );
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await page.getByRole('button', { name: 'Skills' }).click();
    const list = page.getByRole('list', { name: 'Skills' });
    await list.getByText('deploy', { exact: true }).waitFor();
    await list.getByText('How to deploy the app').waitFor();
    await context.close();
  });

  it('compacts on demand: a marker with the summary, and the next reply sees only the summary and the last turns', async () => {
    w.model.setScript((req): Reply =>
      isSummaryRequest(req)
        ? { content: ['The user asked about **alpha** and beta.'] }
        : { content: [`Answer to ${lastUserText(req)}.`] },
    );
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    for (const q of ['alpha', 'beta', 'gamma']) {
      await box.fill(q);
      await box.press('Enter');
      await page.getByText(`Answer to ${q}.`).waitFor();
    }
    await page.getByRole('button', { name: 'Compact' }).click();
    const marker = page.getByRole('article', { name: 'compaction' });
    await marker.getByText('Compacted: 2 earlier messages summarised').waitFor();
    await marker.getByText('Summary').click();
    await marker.getByText('alpha', { exact: true }).waitFor(); // the bold word, rendered
    // The older turns are still on the page.
    await page.getByText('Answer to alpha.').waitFor();

    await box.fill('delta');
    await box.press('Enter');
    await page.getByText('Answer to delta.').waitFor();
    const req = w.model.requests.at(-1)!;
    expect(systemOf(req)).toContain('The user asked about **alpha** and beta.');
    expect(req.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'beta',
      'gamma',
      'delta',
    ]);
    await context.close();
  });
});
