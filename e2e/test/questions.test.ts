import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QuestionReply } from '@boocode/protocol';
import { startWorld, type World } from './harness.ts';

// A question an agent asks through boocode's MCP server (`ask_human`): it waits in the Inbox,
// announced, and is answered there in free text, once.
let w: World;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  w = await startWorld();
  ({ context, page } = await w.open());
});
afterAll(async () => {
  await context?.close();
  await w?.close();
});

/** The server's API as an agent's MCP client uses it: the token in the header. */
async function call(method: string, pathname: string, body?: unknown): Promise<unknown> {
  const res = await fetch(new URL(pathname, w.server.url), {
    method,
    headers: {
      authorization: `Bearer ${w.server.token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

describe('a question for the human', () => {
  it('is announced and waits in the Inbox; the typed answer reaches the asker, once', async () => {
    const ask = async (question: string) =>
      QuestionReply.parse(
        await call('POST', '/api/coder/questions', { question, asker: 'claude-code' }),
      ).question;
    // One already waiting when the page has its list: counted, not announced.
    const earlier = await ask('Is the test suite green?');
    await page.getByRole('button', { name: 'Inbox (1)' }).waitFor();
    const asked = await ask('Which port should the server use?');
    await page.getByText('claude-code asks: Which port should the server use?').waitFor();
    await page.getByRole('button', { name: 'Inbox (2)' }).click();
    const popover = page.getByRole('dialog', { name: 'Inbox' });
    const form = popover
      .getByRole('form', { name: 'Question' })
      .filter({ hasText: 'Which port should the server use?' });
    await form.getByRole('textbox', { name: 'Answer to claude-code' }).fill('8080, please.');
    await form.getByRole('button', { name: 'Answer' }).click();
    await page.getByRole('button', { name: 'Inbox (1)' }).waitFor();
    const read = QuestionReply.parse(await call('GET', `/api/coder/questions/${asked.id}`));
    expect(read.question).toMatchObject({ status: 'answered', answer: '8080, please.' });
    // The asker gave up on the other: it leaves the Inbox too.
    await call('DELETE', `/api/coder/questions/${earlier.id}`);
    await popover.getByText('No agent is waiting for you.').waitFor();
  });
});
