import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld({
    BOOCODE_MODEL_PRICES: JSON.stringify({ 'scripted-small': { input: 2, output: 8 } }),
  });
});
afterAll(() => w?.close());

describe('cost in the browser', () => {
  it('shows tokens and cost under the reply and the chat total in the header', async () => {
    // 1,000 in at $2/M + 500 out at $8/M = $0.006
    w.model.setScript([
      { content: ['Priced answer.'], usage: { prompt_tokens: 1000, completion_tokens: 500 } },
    ]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await page.getByRole('combobox', { name: 'Model' }).selectOption('scripted-small');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('How much?');
    await box.press('Enter');
    const reply = page.getByRole('article', { name: 'assistant message' });
    await reply.getByText('Priced answer.').waitFor();
    await reply.getByText('$0.0060').waitFor();
    const total = page.getByLabel('Chat usage');
    await expect.poll(() => total.textContent()).toMatch(/1,500 tokens · \$0\.0060/);
    await context.close();
  });
});
