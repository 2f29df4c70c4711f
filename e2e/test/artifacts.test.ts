import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { lastUserText, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

const assistant = (page: Page) => page.getByRole('article', { name: 'assistant message' });
const artifact = (page: Page) => page.getByRole('region', { name: 'Artifact' });

async function newChatAndSend(page: Page, text: string) {
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await send(page, text);
}

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

/** Waits until the newest reply has finished (its footer offers Regenerate). */
async function replyDone(page: Page) {
  await page.getByRole('button', { name: 'Regenerate' }).waitFor();
}

/** A server on loopback that counts what reaches it, readable from any origin. */
async function startCounter() {
  const counter = { hits: 0, url: '', close: () => Promise.resolve() };
  const srv = http.createServer((_req, res) => {
    counter.hits++;
    res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' });
    res.end('pong');
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  counter.url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  counter.close = () => new Promise<void>((resolve) => srv.close(() => resolve()));
  return counter;
}

// The script reports what it could reach into the page, where the test reads it.
const PROBE_HTML = `<!doctype html>
<html>
<head><title>Sandbox probe</title></head>
<body>
<h1>Probe</h1>
<p id="out">pending</p>
<script>
document.body.dataset.ran = 'yes';
var out = ['origin: ' + window.origin];
try { out.push('cookie: read ' + JSON.stringify(document.cookie)); } catch (e) { out.push('cookie: denied ' + e.name); }
try { out.push('storage: read ' + localStorage.length); } catch (e) { out.push('storage: denied ' + e.name); }
fetch('/api/chats').then(
  function (r) { return r.text().then(function (t) { return 'api: read ' + r.status + ' ' + t.slice(0, 80); }); },
  function (e) { return 'api: denied ' + e.name; }
).then(function (s) {
  out.push(s);
  document.getElementById('out').textContent = out.join('; ');
  document.body.dataset.done = 'yes';
});
</script>
</body>
</html>`;

const lines = (text: string) => text.split(/(?<=\n)/);

describe('artifacts in the browser', () => {
  it('runs an HTML block in a sandboxed frame that cannot reach the cookies, storage or API', async () => {
    w.model.setScript([
      { content: ['Here is a page:\n\n```html\n', ...lines(PROBE_HTML), '\n```\n', 'Try it.'] },
    ]);
    const { context, page } = await w.open();
    await newChatAndSend(page, 'Make a page');
    const reply = assistant(page).last();
    await reply.getByText('Try it.').waitFor();
    expect(await artifact(page).count()).toBe(0);

    await reply.getByRole('button', { name: 'Open artifact' }).click();
    const pane = artifact(page);
    await pane.getByRole('heading', { name: 'Sandbox probe' }).waitFor();
    const iframe = pane.locator('iframe');
    expect(await iframe.getAttribute('sandbox')).toBe('allow-scripts');
    // The server's artifact page, whose own policy cuts it off the network; no srcdoc, which
    // would run under the app's policy.
    expect(await iframe.getAttribute('src')).toBe('/api/artifact-frame?net=0');
    expect(await iframe.getAttribute('srcdoc')).toBeNull();

    const frame = iframe.contentFrame();
    await frame.locator('body[data-ran="yes"][data-done="yes"]').waitFor();
    const report = (await frame.locator('#out').textContent()) ?? '';
    expect(report).toContain('origin: null');
    expect(report).toContain('cookie: denied SecurityError');
    expect(report).toContain('storage: denied SecurityError');
    expect(report).toContain('api: denied TypeError');
    expect(report).not.toContain('read');

    // The source is the block as written; the download is named after the title.
    await pane.getByRole('tab', { name: 'Source' }).click();
    const source = pane.getByRole('tabpanel', { name: 'Source' });
    await expect.poll(() => source.locator('pre').textContent()).toContain('<title>Sandbox probe');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      pane.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('sandbox-probe.html');
    expect(await readFile((await download.path())!, 'utf8')).toBe(PROBE_HTML);

    // Escape pressed inside the running page closes the pane too.
    await pane.getByRole('tab', { name: 'Preview' }).click();
    await frame.getByRole('heading', { name: 'Probe' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => artifact(page).count()).toBe(0);
    await context.close();
  });

  it('opens a Markdown block rendered with the chat Markdown; copies it; Escape closes the pane', async () => {
    const doc =
      '# Release notes\n\n- faster **search**\n- fewer bugs\n\n```html\n<p>embed</p>\n```\n';
    w.model.setScript([{ content: ['Notes:\n\n````markdown\n', ...lines(doc), '````\n'] }]);
    const { context, page } = await w.open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await newChatAndSend(page, 'Write notes');
    await replyDone(page);
    await assistant(page).last().getByRole('button', { name: 'Open artifact' }).click();

    const pane = artifact(page);
    await pane.getByRole('heading', { name: 'Release notes', level: 1 }).waitFor();
    expect(await pane.locator('strong').textContent()).toBe('search');
    expect(await pane.getByRole('listitem').count()).toBe(2);
    // Its own code blocks show as code, not as artifacts of their own.
    const preview = pane.getByRole('tabpanel', { name: 'Preview' });
    await expect.poll(() => preview.locator('pre').textContent()).toBe('<p>embed</p>');
    expect(await pane.getByRole('button', { name: 'Open artifact' }).count()).toBe(0);

    await pane.getByRole('button', { name: 'Copy', exact: true }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(doc.trimEnd());

    // Focus is in the pane: Escape closes it, and focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => artifact(page).count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Open artifact');
    await context.close();
  });

  it('offers a block only once its fence is closed, never while it streams', async () => {
    const body = Array.from({ length: 30 }, (_, i) => `<p>row ${i}</p>\n`);
    const slow: Reply = {
      content: ['Page:\n\n```html\n', ...body, '```\n', 'End of page.'],
      delayMs: 40,
    };
    w.model.setScript((req) => (lastUserText(req) === 'hi' ? { content: ['Hello.'] } : slow));
    const { context, page } = await w.open();
    // The chat is open and followed before the reply that matters starts streaming.
    await newChatAndSend(page, 'hi');
    await replyDone(page);
    // Every change to the page is checked: a block without its last row is still streaming.
    await page.evaluate(() => {
      const seen = { open: 0, offeredWhileOpen: 0 };
      (window as unknown as { fenceSeen: typeof seen }).fenceSeen = seen;
      new MutationObserver(() => {
        for (const pre of document.querySelectorAll('article pre')) {
          if (pre.textContent?.includes('row 29')) continue;
          seen.open++;
          const buttons = pre.parentElement?.querySelectorAll('button') ?? [];
          if ([...buttons].some((b) => b.textContent === 'Open artifact')) seen.offeredWhileOpen++;
        }
      }).observe(document.body, { childList: true, subtree: true, characterData: true });
    });
    await send(page, 'stream a page');
    const reply = assistant(page).last();
    await reply.getByText('End of page.').waitFor();
    await reply.getByRole('button', { name: 'Open artifact' }).waitFor();
    const seen = await page.evaluate(
      () =>
        (window as unknown as { fenceSeen: { open: number; offeredWhileOpen: number } }).fenceSeen,
    );
    expect(seen.open).toBeGreaterThan(0);
    expect(seen.offeredWhileOpen).toBe(0);
    await context.close();
  });

  it('offers the newest finished HTML reply while the pane is open, never swapping it in by itself', async () => {
    const page1 = '<html><head><title>First page</title></head><body>one</body></html>';
    const page2 = '<html><head><title>Second page</title></head><body>two</body></html>';
    const page3 = '<html><head><title>Third page</title></head><body>three</body></html>';
    const replies: Record<string, Reply> = {
      first: { content: ['```html\n', page1, '\n```\n'] },
      second: { content: ['Updated:\n\n```html\n', page2, '\n```\n', 'Done.'], delayMs: 10 },
      third: { content: ['Again:\n\n```html\n', page3, '\n```\n'] },
    };
    w.model.setScript((req) => replies[lastUserText(req)] ?? { content: ['?'] });
    const { context, page } = await w.open();
    await newChatAndSend(page, 'first');
    await replyDone(page);
    // Closed: a finished page does not pop the pane up.
    expect(await artifact(page).count()).toBe(0);
    await assistant(page).last().getByRole('button', { name: 'Open artifact' }).click();
    const pane = artifact(page);
    await pane.getByRole('heading', { name: 'First page' }).waitFor();
    const body = () => pane.locator('iframe').contentFrame().locator('body').innerText();
    await expect.poll(body).toBe('one');

    await send(page, 'second');
    const newer = pane.getByRole('status').filter({ hasText: 'A newer version is in the chat.' });
    await newer.waitFor();
    // What the reader looks at stays until they ask.
    expect(await pane.getByRole('heading', { name: 'First page' }).count()).toBe(1);
    expect(await body()).toBe('one');
    await newer.getByRole('button', { name: 'Show newer version' }).click();
    await pane.getByRole('heading', { name: 'Second page' }).waitFor();
    await expect.poll(body).toBe('two');
    expect(await newer.count()).toBe(0);
    await pane.getByRole('button', { name: 'Close artifact' }).click();

    await send(page, 'third');
    await assistant(page).nth(2).getByRole('button', { name: 'Open artifact' }).waitFor();
    await replyDone(page);
    expect(await artifact(page).count()).toBe(0);
    await context.close();
  });

  it('runs an HTML page off the network until the reader allows it for that page', async () => {
    const target = await startCounter();
    try {
      const probe = `<html><head><title>Net probe</title></head><body><p id="out">pending</p><script>
fetch('${target.url}/ping').then(function (r) { return r.text(); }).then(
  function (t) { document.getElementById('out').textContent = 'net: ' + t; },
  function (e) { document.getElementById('out').textContent = 'net: denied ' + e.name; });
</script></body></html>`;
      w.model.setScript([{ content: ['```html\n', probe, '\n```\n'] }]);
      const { context, page } = await w.open();
      await newChatAndSend(page, 'Probe the network');
      await replyDone(page);
      await assistant(page).last().getByRole('button', { name: 'Open artifact' }).click();
      const pane = artifact(page);
      const out = () => pane.locator('iframe').contentFrame().locator('#out').innerText();
      await expect.poll(out).toBe('net: denied TypeError');
      expect(target.hits).toBe(0);

      const allow = pane.getByRole('button', { name: 'Allow network' });
      expect(await allow.getAttribute('aria-pressed')).toBe('false');
      await allow.click();
      expect(await allow.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(out).toBe('net: pong');
      expect(target.hits).toBe(1);
      await context.close();
    } finally {
      await target.close();
    }
  });

  it('shows a remote image in a reply as a link, and the page fetches nothing off the origin', async () => {
    const target = await startCounter();
    try {
      const src = `${target.url}/pixel.png?k=SECRET`;
      w.model.setScript([{ content: [`Look: ![the chart](${src})\n\nEnd.`] }]);
      const { context, page } = await w.open();
      await newChatAndSend(page, 'Show me');
      const reply = assistant(page).last();
      await reply.getByText('End.').waitFor();
      const link = reply.getByRole('link', { name: /the chart \(image on 127\.0\.0\.1:\d+\)/ });
      expect(await link.getAttribute('href')).toBe(src);
      expect(await reply.locator('img').count()).toBe(0);
      // Even an image put in by hand is refused by the page's policy.
      const loaded = await page.evaluate(
        (url) =>
          new Promise<boolean>((resolve) => {
            const img = new Image();
            img.onload = () => resolve(true);
            img.onerror = () => resolve(false);
            img.src = url;
          }),
        src,
      );
      expect(loaded).toBe(false);
      expect(target.hits).toBe(0);
      await context.close();
    } finally {
      await target.close();
    }
  });

  it('resizes against the chat by dragging the divider, across the running page', async () => {
    w.model.setScript(() => ({
      content: ['```html\n<title>Wide</title><body style="height:100vh">page</body>\n```\n'],
    }));
    const { context, page } = await w.open();
    await newChatAndSend(page, 'page');
    await replyDone(page);
    await assistant(page).last().getByRole('button', { name: 'Open artifact' }).click();
    const pane = artifact(page);
    await pane.getByRole('heading', { name: 'Wide' }).waitFor();
    const before = (await pane.boundingBox())!;
    const handle = (await page
      .getByRole('separator', { name: 'Resize artifact pane' })
      .boundingBox())!;
    const y = handle.y + handle.height / 2;
    await page.mouse.move(handle.x + handle.width / 2, y);
    await page.mouse.down();
    // To the right, over the frame: the drag must not be lost to it.
    for (let dx = 20; dx <= 160; dx += 20) await page.mouse.move(handle.x + dx, y);
    await page.mouse.up();
    const after = (await pane.boundingBox())!;
    expect(before.width - after.width).toBeGreaterThan(120);
    await context.close();
  });

  it('covers the chat on a narrow screen', async () => {
    w.model.setScript([
      {
        content: [
          '```svg\n<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><title>Dot</title><circle cx="20" cy="20" r="20"/></svg>\n```\n',
        ],
      },
    ]);
    const { context, page } = await w.open();
    await page.setViewportSize({ width: 420, height: 800 });
    // The sidebar is folded away here (once the page has seen its new width): unfold it to
    // start a chat, which folds it again.
    const toggle = page.getByRole('button', { name: 'Toggle sidebar', expanded: false });
    await toggle.click();
    await newChatAndSend(page, 'draw');
    await replyDone(page);
    await assistant(page).last().getByRole('button', { name: 'Open artifact' }).click();
    const pane = artifact(page);
    await pane.getByRole('heading', { name: 'Dot' }).waitFor();
    const box = (await pane.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(400);
    // The composer is under the pane.
    const composer = page.getByRole('textbox', { name: 'Message' });
    const hit = await composer.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
    });
    expect(hit).toBe(false);
    await context.close();
  });
});
