import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChat } from '@boocode/db';
import { freePort, wordTokens } from '@boocode/testkit';
import { startTcpProxy, startWorld, type TcpProxy, type World } from './harness.ts';

let w: World;
let proxy: TcpProxy;
beforeAll(async () => {
  const proxyPort = await freePort();
  // The page talks to the server through a proxy that the test can cut.
  w = await startWorld({ ALLOWED_ORIGINS: `http://127.0.0.1:${proxyPort}` });
  proxy = await startTcpProxy(proxyPort, w.port);
});
afterAll(async () => {
  await proxy?.close();
  await w?.close();
});

describe('a long chat', () => {
  it('opens on the newest messages with few DOM rows, and loads older ones when scrolled up', async () => {
    const chat = await createChat(w.db.sql, { title: 'Long history', model: 'scripted-small' });
    const positions = Array.from({ length: 1000 }, (_, i) => i);
    await w.db.sql`
      insert into messages (chat_id, position, role, status, parts)
      select ${chat.id}, p, case when p % 2 = 0 then 'user' else 'assistant' end, 'complete',
             jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'entry number ' || p || '.'))
      from unnest(${positions}::int[]) p`;
    const { context, page } = await w.open();
    await page.getByRole('link', { name: 'Long history' }).click();
    await page.getByText('entry number 999.').waitFor();
    expect(await page.getByRole('article').count()).toBeLessThan(60);

    // Scroll to the top until the very first message is there.
    const scroller = page.locator('.overflow-y-auto').filter({ has: page.getByRole('article') });
    for (let i = 0; i < 40; i++) {
      if ((await page.getByText('entry number 0.', { exact: true }).count()) > 0) break;
      await scroller.evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(100);
    }
    await page.getByText('entry number 0.', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Load earlier messages' }).count()).toBe(0);
    expect(await page.getByRole('article').count()).toBeLessThan(60);
    await context.close();
  });

  it('goes on after the network drops in the middle of a reply, each token once', async () => {
    const tokens = wordTokens(1500);
    w.model.setScript([{ content: tokens, delayMs: 3 }]);
    const context = await w.browser.newContext();
    const page = await context.newPage();
    const viaProxy = new URL(w.server.url.href);
    viaProxy.port = String(proxy.port);
    await page.goto(viaProxy.href);
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('keep going');
    await box.press('Enter');
    const reply = page.getByRole('article', { name: 'assistant message' }).last();
    await reply.getByText('t200', { exact: false }).waitFor();
    proxy.dropAll();
    await page.getByRole('status').filter({ hasText: 'Reconnecting' }).waitFor();
    await reply.getByText('t1499').waitFor({ timeout: 30_000 });
    const text = (await reply.locator('p').allTextContents()).join(' ');
    expect(text.match(/t\d+/g)).toEqual(tokens.map((t) => t.trim()));
    await context.close();
  });
});
