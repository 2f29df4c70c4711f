import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { wordTokens } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

const assistant = (page: Page) => page.getByRole('article', { name: 'assistant message' });

async function sendMessage(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

describe('chat in the browser', () => {
  it('signs in from the printed URL and removes the token from the address bar', async () => {
    const { context, page } = await w.open();
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('button', { name: 'New chat', exact: true }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'boocode_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // A session of its own: the token itself is never the cookie.
    expect(session!.value).not.toBe(w.server.token);
    await context.close();
  });

  it('lists this browser among the sessions in Settings, and signs out', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const sessions = page.getByRole('list', { name: 'Sessions' });
    await sessions.getByRole('listitem', { name: 'This browser' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('Not signed in').waitFor();
    // The cookie is dead on the server too, not only forgotten by this page.
    await page.reload();
    await page.getByText('Not signed in').waitFor();
    await context.close();
  });

  it('streams a reply rendered as Markdown with highlighted code, with the picked model', async () => {
    w.model.setScript([
      {
        content: [
          'Here is **bold** and code:\n\n```ts\n',
          'const answer: number = 42;\n',
          '```\n',
          'Done.',
        ],
        delayMs: 20,
      },
    ]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const picker = page.getByRole('combobox', { name: 'Model' });
    await expect
      .poll(() => picker.locator('option').allTextContents())
      .toEqual(['scripted-small', 'scripted-large']);
    await picker.selectOption('scripted-large');
    await sendMessage(page, 'Show me some code');
    await expect.poll(() => page.url()).toMatch(/\/c\/[0-9a-f-]{36}$/);
    const reply = assistant(page).last();
    await reply.getByText('Done.').waitFor();
    await expect.poll(() => reply.locator('strong').textContent()).toBe('bold');
    // shiki colours tokens with inline styles on spans inside the code block
    const code = reply.locator('pre code');
    await expect.poll(() => code.textContent()).toContain('const answer: number = 42;');
    // coloured off the page's thread, so a moment later
    await expect.poll(() => reply.locator('pre span[style*="color"]').count()).toBeGreaterThan(2);
    expect(w.model.requests.at(-1)!.model).toBe('scripted-large');
    await context.close();
  });

  it('highlights a code fence while it is still open, without swapping the block', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `const value${i} = compute(${i});\n`);
    w.model.setScript([
      { content: ['Code:\n\n```ts\n', ...lines, '```\n', 'End of code.'], delayMs: 40 },
    ]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'stream some code');
    const reply = assistant(page).last();
    await reply.locator('pre').getByText('value3', { exact: false }).waitFor();
    // From here to the end of the reply, the code block must stay the same element.
    await reply.evaluate((el) => {
      const w = window as unknown as { removedPre: number };
      w.removedPre = 0;
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.removedNodes) {
            if (n instanceof HTMLElement && (n.tagName === 'PRE' || n.querySelector('pre')))
              w.removedPre++;
          }
        }
      }).observe(el, { childList: true, subtree: true });
    });
    const pre = reply.locator('pre').first();
    await pre.getByText('value10', { exact: false }).waitFor();
    // Highlighted while the fence is still open.
    await expect.poll(() => pre.locator('span[style*="color"]').count()).toBeGreaterThan(5);
    expect(await reply.getByText('End of code.').count()).toBe(0);
    await reply.getByText('End of code.').waitFor();
    expect(
      await page.evaluate(() => (window as unknown as { removedPre: number }).removedPre),
    ).toBe(0);
    await context.close();
  });

  it('goes on after a reload in the middle of a 2,000-token reply, each token exactly once', async () => {
    const tokens = wordTokens(2000);
    w.model.setScript([{ content: tokens, delayMs: 2 }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'long please');
    const reply = assistant(page).last();
    await reply.getByText('t300', { exact: false }).waitFor();
    await page.reload();
    await assistant(page).last().getByText('t1999').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
    // The answer's paragraphs only: the usage line follows the last token.
    const text = (await assistant(page).last().locator('p').allTextContents()).join(' ');
    const seen = text.match(/t\d+/g) ?? [];
    expect(seen.length).toBe(2000);
    expect(new Set(seen).size).toBe(2000);
    expect(seen).toEqual(tokens.map((t) => t.trim()));
    await context.close();
  });

  it('stops a reply, regenerates it, and edits an earlier message to resend from there', async () => {
    w.model.setScript((req, i) =>
      i === 0
        ? { content: wordTokens(3000, 'slow'), delayMs: 5 }
        : { content: [`answer to ${String(req.messages.at(-1)!.content)} #${i}`] },
    );
    w.model.requests.length = 0;
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'first question');
    await assistant(page).last().getByText('slow20', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped').waitFor();
    const stoppedText = (await assistant(page).last().textContent()) ?? '';
    expect(stoppedText).not.toContain('slow2999');

    await page.getByRole('button', { name: 'Regenerate' }).click();
    await assistant(page).last().getByText('answer to first question #1').waitFor();
    expect(await assistant(page).count()).toBe(1);

    await page.getByRole('button', { name: 'Edit message' }).click();
    const edit = page.getByRole('textbox', { name: 'Edit message text' });
    await edit.fill('better question');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await assistant(page).last().getByText('answer to better question #2').waitFor();
    await expect
      .poll(() => page.getByRole('article', { name: 'user message' }).allTextContents())
      .toEqual([expect.stringContaining('better question')]);
    await context.close();
  });

  it('shows bold cut off by the stream or by Stop as bold, never as raw asterisks', async () => {
    w.model.setScript([
      {
        content: ['Plain start, then **very', ' important ', ...wordTokens(3000, 'loud')],
        delayMs: 5,
      },
    ]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'shout it');
    const reply = assistant(page).last();
    await reply.getByText('loud20', { exact: false }).waitFor();
    expect(await reply.textContent()).not.toContain('**');
    expect(await reply.getByRole('strong').first().textContent()).toMatch(/^very important loud/);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByText('Stopped').waitFor();
    expect(await reply.textContent()).not.toContain('**');
    expect(await reply.getByRole('strong').count()).toBe(1);
    await context.close();
  });

  it('stops a regenerated reply with Esc: the focus is back in the message box', async () => {
    w.model.setScript((_req, i) =>
      i === 0
        ? { content: ['A short first answer.'] }
        : { content: wordTokens(3000, 'again'), delayMs: 5 },
    );
    w.model.requests.length = 0;
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'question');
    await assistant(page).last().getByText('A short first answer.').waitFor();
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await assistant(page).last().getByText('again20', { exact: false }).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Message');
    await page.keyboard.press('Escape');
    await page.getByText('Stopped').waitFor();
    expect(await assistant(page).last().textContent()).not.toContain('again2999');
    await context.close();
  });

  it('keeps the message box one line tall until it has more to hold, also in a chat opened by its address', async () => {
    w.model.setScript([{ content: ['Noted.'] }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Remember this');
    await assistant(page).last().getByText('Noted.').waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    const height = async () => (await box.boundingBox())?.height ?? 0;
    await page.reload();
    await box.waitFor();
    const oneLine = await height();
    expect(oneLine).toBeLessThan(50);
    await box.fill('one\ntwo\nthree\nfour');
    await expect.poll(height).toBeGreaterThan(oneLine * 2);
    await box.fill('');
    await expect.poll(height).toBe(oneLine);
    await context.close();
  });

  it('shows reasoning apart from the answer, collapsible, in both formats', async () => {
    w.model.setScript([
      { reasoning: ['Thinking via ', 'reasoning_content.'], content: ['Answer one.'] },
      { content: ['<thi', 'nk>Thinking in ', 'tags.</th', 'ink>Answer two.'] },
    ]);
    w.model.requests.length = 0;
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'q1');
    await assistant(page).last().getByText('Answer one.').waitFor();
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
    await sendMessage(page, 'q2');
    await assistant(page).last().getByText('Answer two.').waitFor();
    for (const [i, thought] of [
      [0, 'Thinking via reasoning_content.'],
      [1, 'Thinking in tags.'],
    ] as const) {
      const msg = assistant(page).nth(i);
      const details = msg.locator('details');
      const summary = details.locator('summary');
      await expect.poll(() => summary.textContent()).toContain('Reasoning');
      if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await summary.click();
      await expect.poll(() => details.textContent()).toContain(thought);
      await summary.click();
      expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      const answer = (await msg.textContent()) ?? '';
      expect(answer).toContain(i === 0 ? 'Answer one.' : 'Answer two.');
      expect(answer).not.toContain('<think>');
    }
    await context.close();
  });

  it('lists, renames, searches and deletes chats; each has its URL for reload and back/forward', async () => {
    w.model.setScript([{ content: ['ok'] }]);
    const { context, page } = await w.open();
    const titles: string[] = [];
    for (const word of ['Pelican', 'Walrus']) {
      await page.getByRole('button', { name: 'New chat', exact: true }).click();
      await sendMessage(page, `${word} facts`);
      await assistant(page).last().getByText('ok').waitFor();
      titles.push(`${word} facts`);
    }
    const walrusUrl = page.url();
    await page.getByRole('link', { name: 'Pelican facts' }).click();
    await expect.poll(() => page.url()).not.toBe(walrusUrl);
    const pelicanUrl = page.url();
    await page.goBack();
    await expect.poll(() => page.url()).toBe(walrusUrl);
    await page.getByRole('article', { name: 'user message' }).getByText('Walrus facts').waitFor();
    await page.goForward();
    await page.getByRole('article', { name: 'user message' }).getByText('Pelican facts').waitFor();
    await page.reload();
    await page.getByRole('article', { name: 'user message' }).getByText('Pelican facts').waitFor();
    expect(page.url()).toBe(pelicanUrl);

    await page.getByRole('button', { name: 'Rename Pelican facts' }).click();
    const title = page.getByRole('textbox', { name: 'Chat title' });
    await title.fill('Seabirds');
    await title.press('Enter');
    await page.getByRole('link', { name: 'Seabirds' }).waitFor();
    // The focus is back on the chat, not lost to the page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('title')))
      .toBe('Seabirds');

    const search = page.getByRole('searchbox', { name: 'Search chats' });
    await search.fill('walrus');
    await expect.poll(() => page.getByRole('link', { name: 'Seabirds' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Walrus facts' }).waitFor();
    await search.fill('');
    await page.getByRole('link', { name: 'Seabirds' }).waitFor();

    await page.getByRole('button', { name: 'Delete Walrus facts' }).click();
    // The question names the chat in full; Cancel gives the focus back to the chat.
    const question = page.getByText('Delete “Walrus facts”?');
    expect(await question.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('title')))
      .toBe('Walrus facts');
    await page.getByRole('button', { name: 'Delete Walrus facts' }).click();
    await page.getByRole('button', { name: 'Confirm delete' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Walrus facts' }).count()).toBe(0);
    // The rest of the app is still there.
    await page.getByRole('link', { name: 'Seabirds' }).waitFor();
    await page.getByRole('textbox', { name: 'Message' }).waitFor();

    // Everything survives a restart of the server.
    await w.restart();
    const again = await w.open();
    await again.page.getByRole('link', { name: 'Seabirds' }).waitFor();
    expect(await again.page.getByRole('link', { name: 'Walrus facts' }).count()).toBe(0);
    await again.context.close();
    await context.close();
  });

  it('shows under a chat found by its messages the text around the match, the term marked', async () => {
    w.model.setScript([{ content: ['They have a long narwhal-like tusk, mostly.'] }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Arctic whales');
    await assistant(page).last().getByText('tusk', { exact: false }).waitFor();
    await page.getByRole('searchbox', { name: 'Search chats' }).fill('NARWHAL');
    const link = page.getByRole('link', { name: 'Arctic whales', exact: true });
    const description = () =>
      link.evaluate(
        (el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
      );
    await expect.poll(description).toBe('They have a long narwhal-like tusk, mostly.');
    expect(await link.locator('mark').allTextContents()).toEqual(['narwhal']);
    await context.close();
  });

  it('keeps one delete question open at a time, and saves a rename when the box loses the focus', async () => {
    w.model.setScript([{ content: ['ok'] }]);
    const { context, page } = await w.open();
    for (const word of ['Otter', 'Beaver']) {
      await page.getByRole('button', { name: 'New chat', exact: true }).click();
      await sendMessage(page, `${word} notes`);
      await assistant(page).last().getByText('ok').waitFor();
    }
    await page.getByRole('button', { name: 'Delete Otter notes' }).click();
    await page.getByRole('button', { name: 'Delete Beaver notes' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Confirm delete' }).count()).toBe(1);
    await page.getByText('Delete “Beaver notes”?').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Rename Otter notes' }).click();
    await page.getByRole('textbox', { name: 'Chat title' }).fill('River notes');
    await page.getByRole('textbox', { name: 'Message' }).click();
    await page.getByRole('link', { name: 'River notes' }).waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'River notes' }).waitFor();
    await context.close();
  });

  it('leaves a long chat title room in the header of a chat beside the sidebar', async () => {
    w.model.setScript([{ content: ['Fine.'] }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'How do I write a TypeScript type for a deeply nested config object?');
    await assistant(page).last().getByText('Fine.').waitFor();
    const heading = page.getByRole('heading', { level: 1, name: /^How do I write/ });
    await heading.waitFor();
    // At 1280 px, about 25 characters of it, not 15.
    expect((await heading.boundingBox())!.width).toBeGreaterThanOrEqual(180);
    await context.close();
  });

  it('scrolls the new-chat screen in a short window rather than cutting it off', async () => {
    const { context, page } = await w.open();
    await page.setViewportSize({ width: 1280, height: 330 });
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    /** Nothing covers the element's top and bottom edges once it is scrolled to. */
    const whole = async (l: Locator) => {
      await l.scrollIntoViewIfNeeded();
      return l.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const x = r.x + r.width / 2;
        return [r.top + 2, r.bottom - 2].every((y) => el.contains(document.elementFromPoint(x, y)));
      });
    };
    expect(await whole(page.getByRole('combobox', { name: 'Agent' }))).toBe(true);
    expect(await whole(page.getByText('Start a conversation'))).toBe(true);
    await context.close();
  });

  it('keeps the Agent picker of the new-chat screen in view in a shortish window, dropping the tips', async () => {
    const { context, page } = await w.open();
    await page.setViewportSize({ width: 1280, height: 360 });
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const picker = page.getByRole('combobox', { name: 'Agent' });
    await picker.waitFor();
    // Not scrolled to: nothing covers its top and bottom edges as the screen first shows.
    const inView = await picker.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const x = r.x + r.width / 2;
      return [r.top + 2, r.bottom - 2].every((y) => el.contains(document.elementFromPoint(x, y)));
    });
    expect(inView).toBe(true);
    expect(await page.getByText('search chats').isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByText('search chats').waitFor();
    await context.close();
  });

  it('shows the message actions on a touch screen, where nothing can hover', async () => {
    w.model.setScript([{ content: ['Touched.'] }]);
    const context = await w.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto(w.server.url.href);
    await sendMessage(page, 'Tap tap');
    await assistant(page).last().getByText('Touched.').waitFor();
    /** How opaque the element is on screen: its own opacity times its ancestors'. */
    const opacity = (l: Locator) =>
      l.evaluate((el) => {
        let o = 1;
        for (let e: Element | null = el; e; e = e.parentElement) {
          o *= Number(getComputedStyle(e).opacity);
        }
        return o;
      });
    await expect.poll(() => opacity(page.getByRole('button', { name: 'Edit message' }))).toBe(1);
    expect(await opacity(page.getByRole('button', { name: 'Copy reply' }))).toBe(1);
    await context.close();
  });

  it('marks in the sidebar a chat whose reply is still being written, also while another is open', async () => {
    w.model.setScript((_req, i) =>
      i === 0 ? { content: wordTokens(3000, 'busy'), delayMs: 5 } : { content: ['Done.'] },
    );
    w.model.requests.length = 0;
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Long job');
    await assistant(page).last().getByText('busy20', { exact: false }).waitFor();
    const item = page
      .getByRole('listitem')
      .filter({ has: page.getByRole('link', { name: 'Long job' }) });
    const replying = item.getByRole('img', { name: 'Replying' });
    await replying.waitFor();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Something else');
    await assistant(page).last().getByText('Done.').waitFor();
    expect(await replying.count()).toBe(1);

    await page.getByRole('link', { name: 'Long job' }).click();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => replying.count()).toBe(0);
    await context.close();
  });
});

describe('a failing or restarting server', () => {
  it('shows a clear error when the endpoint sends garbage, keeping the question', async () => {
    w.model.setScript([{ fail: 'malformed', content: ['a', 'b', 'c'] }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'are you there?');
    await page.getByRole('alert').filter({ hasText: 'could not be read' }).waitFor();
    await page.getByRole('article', { name: 'user message' }).getByText('are you there?').waitFor();
    await context.close();
  });

  it('keeps the partial reply marked interrupted when the server restarts mid-reply', async () => {
    w.model.setScript([{ content: wordTokens(5000), delayMs: 3 }]);
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'go on and on');
    await assistant(page).last().getByText('t100', { exact: false }).waitFor();
    await w.restart('SIGKILL');
    await page.getByText('Interrupted', { exact: false }).waitFor({ timeout: 30_000 });
    const text = (await assistant(page).last().textContent()) ?? '';
    expect(text).toContain('t100');
    await context.close();
  });
});

describe('fork and export', () => {
  it('forks from a message into a new chat, and exports a chat as Markdown', async () => {
    w.model.setScript((req) => ({ content: [`reply to ${String(req.messages.at(-1)!.content)}`] }));
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await sendMessage(page, 'Heron first');
    await assistant(page).last().getByText('reply to Heron first').waitFor();
    await page.getByRole('button', { name: 'Regenerate' }).waitFor();
    await sendMessage(page, 'Heron second');
    await assistant(page).last().getByText('reply to Heron second').waitFor();
    const originalUrl = page.url();

    await assistant(page).first().getByRole('button', { name: 'Fork from here' }).click();
    await expect.poll(() => page.url()).not.toBe(originalUrl);
    await page.getByRole('link', { name: 'Fork of Heron first' }).waitFor();
    await expect
      .poll(() => page.getByRole('article').allTextContents())
      .toEqual([
        expect.stringContaining('Heron first'),
        expect.stringContaining('reply to Heron first'),
      ]);

    await page.getByRole('button', { name: 'Export' }).click();
    const link = page.getByRole('link', { name: 'Export as Markdown' });
    expect(await link.getAttribute('download')).not.toBeNull();
    const href = (await link.getAttribute('href'))!;
    const md = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    expect(md).toContain('# Fork of Heron first');
    expect(md).toContain('reply to Heron first');
    expect(md).not.toContain('Heron second');
    await context.close();
  });
});
