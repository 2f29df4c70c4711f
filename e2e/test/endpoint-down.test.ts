import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedUrl } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld({ LLM_BASE_URL: await refusedUrl() });
});
afterAll(() => w?.close());

describe('an endpoint that is down', () => {
  it('says so by the model picker, and a message sent anyway shows a clear error and is kept', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await page.getByText('Could not reach the model endpoint', { exact: false }).first().waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('hello?');
    await box.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'connection refused' }).first().waitFor();
    // What the user typed is not lost: still in the composer, or in the chat.
    const kept =
      (await box.inputValue()) === 'hello?' ||
      (await page.getByRole('article', { name: 'user message' }).getByText('hello?').count()) > 0;
    expect(kept).toBe(true);
    await context.close();
  });
});
