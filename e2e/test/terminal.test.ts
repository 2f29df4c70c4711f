import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());
beforeEach(async () => {
  await w.db.sql`delete from workspaces`;
});

// The browser shares two cores with the server, booterm and tmux: give the page time.
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 20_000 });

/**
 * A signed-in page whose terminals keep their rows as text (xterm.js screen reader mode), so
 * the test reads what the terminal shows through the accessibility tree.
 */
async function open(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => localStorage.setItem('boocode:terminal-screen-reader', '1'));
  const page = await context.newPage();
  await page.goto(w.server.url.href);
  await page.getByRole('button', { name: 'New terminal' }).waitFor();
  return { context, page };
}

const workspace = (page: Page) => page.getByRole('main', { name: 'Workspace' });
const screenText = async (pane: Locator) =>
  (await pane.getByRole('list').first().textContent()) ?? '';

async function newTerminal(page: Page): Promise<Locator> {
  // Counted before the saved layout is in, the panes would seem to grow by all of it.
  await workspace(page).getByText('Loading the workspace…').waitFor({ state: 'detached' });
  const before = await workspace(page).getByRole('region').count();
  await page.getByRole('button', { name: 'New terminal' }).click();
  await page.getByRole('combobox', { name: 'Directory' }).selectOption({ label: 'Home directory' });
  await page.getByRole('button', { name: 'Open terminal' }).click();
  await poll(() => workspace(page).getByRole('region').count()).toBe(before + 1);
  const pane = workspace(page).getByRole('region', { name: 'Terminal' }).last();
  await pane.getByRole('list').first().waitFor({ state: 'attached' });
  return pane;
}

async function run(page: Page, pane: Locator, command: string): Promise<void> {
  await pane.locator('.xterm').click();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

describe('terminal in the browser', () => {
  it('runs a command and shows its output, and shows it again after a reload', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    await run(page, pane, 'echo boo-$((6*7))');
    await poll(() => screenText(pane)).toContain('boo-42');

    await page.reload();
    const again = workspace(page).getByRole('region', { name: 'Terminal' });
    await poll(() => screenText(again)).toContain('boo-42');
    // Still a live shell, not a picture of one.
    await run(page, again, 'echo after-$((40+2))');
    await poll(() => screenText(again)).toContain('after-42');
    await context.close();
  });

  it('gives the terminal that had the focus its focus back after a reload', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    await run(page, pane, 'echo before-$((20+1))');
    await poll(() => screenText(pane)).toContain('before-21');
    await page.reload();
    const again = workspace(page).getByRole('region', { name: 'Terminal' });
    await poll(() => screenText(again)).toContain('before-21');
    // No click: the keys go to the terminal.
    await poll(() => page.evaluate(() => !!document.activeElement?.closest('.xterm'))).toBe(true);
    await page.keyboard.type('echo typed-$((40+2))');
    await page.keyboard.press('Enter');
    await poll(() => screenText(again)).toContain('typed-42');
    await context.close();
  });

  it('keeps the last screen of a shell that exited, also after a reload, and offers to remove it', async () => {
    const { context, page } = await open();
    const count = async () =>
      (await w.db.sql<{ n: number }[]>`select count(*)::int as n from terminals`)[0]!.n;
    const listed = await count();
    const pane = await newTerminal(page);
    await run(page, pane, 'echo last-$((2+3)); exit');
    await pane.getByText('The session has ended.').waitFor();
    await poll(() => screenText(pane)).toContain('last-5');
    // The keys that ended it were typed there: the focus moves on to what can be done next.
    await poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(
      'Remove terminal',
    );
    await page.reload();
    const ended = workspace(page).getByRole('region', { name: 'Terminal' }).last();
    await ended.getByText('The session has ended.').waitFor();
    await poll(() => screenText(ended)).toContain('last-5');
    // Removed meanwhile from elsewhere (another tab): removing it here just closes the pane.
    const [row] = await w.db.sql<
      { id: string }[]
    >`select id from terminals order by created_at desc limit 1`;
    const gone = await page.request.delete(
      new URL(`/api/term/terminals/${row!.id}`, page.url()).href,
    );
    expect(gone.status()).toBe(204);
    await ended.getByRole('button', { name: 'Remove terminal' }).click();
    await poll(() => workspace(page).getByRole('region', { name: 'Terminal' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await count()).toBe(listed);
    await context.close();
  });

  it('lists the terminal, renames it, reopens it after its pane is closed, and closes it', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    await run(page, pane, 'echo kept-$((1+1))');
    await poll(() => screenText(pane)).toContain('kept-2');

    const list = page.getByRole('list', { name: 'Terminals' });
    await list.getByRole('button', { name: 'Rename Terminal' }).last().click();
    const title = page.getByRole('textbox', { name: 'Terminal title' });
    await title.fill('Build box');
    await title.press('Enter');
    await workspace(page).getByRole('region', { name: 'Build box' }).waitFor();

    // Closing the pane leaves the terminal running; the list opens it again.
    await workspace(page)
      .getByRole('region', { name: 'Build box' })
      .getByRole('button', { name: 'Close pane' })
      .click();
    await poll(() => workspace(page).getByRole('region', { name: 'Build box' }).count()).toBe(0);
    await list.getByRole('button', { name: 'Build box', exact: true }).click();
    const reopened = workspace(page).getByRole('region', { name: 'Build box' });
    await poll(() => screenText(reopened)).toContain('kept-2');

    // Closing it from the list ends the session, after a confirmation.
    await list.getByRole('button', { name: 'Close Build box' }).click();
    await list.getByRole('button', { name: 'Confirm close' }).click();
    await poll(() => list.getByRole('button', { name: 'Build box', exact: true }).count()).toBe(0);
    await reopened.getByText(/session has ended|no longer exists/).waitFor();
    await context.close();
  });

  it('keeps the keys typed while the terminal socket is still opening, and sends them once open', async () => {
    const { context, page } = await open();
    // Holds every terminal socket until released, as a slow network or a busy server would.
    let release = () => {};
    const released = new Promise<void>((r) => (release = r));
    await page.routeWebSocket(/\/api\/term\/terminals\/[^/]+\/ws/, async (ws) => {
      await released;
      ws.connectToServer();
    });
    const before = await workspace(page).getByRole('region').count();
    await page.getByRole('button', { name: 'New terminal' }).click();
    await page
      .getByRole('combobox', { name: 'Directory' })
      .selectOption({ label: 'Home directory' });
    await page.getByRole('button', { name: 'Open terminal' }).click();
    await poll(() => workspace(page).getByRole('region').count()).toBe(before + 1);
    const pane = workspace(page).getByRole('region', { name: 'Terminal' }).last();
    await run(page, pane, 'echo early-$((20+1))');
    release();
    await poll(() => screenText(pane)).toContain('early-21');
    await context.close();
  });

  it('splits a terminal pane into a second terminal, and keeps both after a reload', async () => {
    const { context, page } = await open();
    const first = await newTerminal(page);
    await run(page, first, 'echo left-$((2*2))');
    await poll(() => screenText(first)).toContain('left-4');
    await first.getByRole('button', { name: 'Split right' }).click();
    await poll(() => workspace(page).getByRole('region', { name: 'Terminal' }).count()).toBe(2);
    const second = workspace(page).getByRole('region', { name: 'Terminal' }).nth(1);
    await second.getByRole('list').first().waitFor({ state: 'attached' });
    // Typed once its shell is there, as a person would: the new pane settles into its place
    // (and takes the focus) while it opens.
    await poll(() => screenText(second)).toMatch(/[#$]\s*$/);
    await run(page, second, 'echo right-$((3*3))');
    await poll(() => screenText(second)).toContain('right-9');

    await poll(async () => {
      const [row] = await w.db.sql<{ layout: unknown }[]>`select layout from workspaces`;
      return (JSON.stringify(row?.layout ?? '').match(/"kind":"terminal"/g) ?? []).length;
    }).toBe(2);
    await page.reload();
    const panes = workspace(page).getByRole('region', { name: 'Terminal' });
    await poll(() => panes.count()).toBe(2);
    const texts = async () => [await screenText(panes.nth(0)), await screenText(panes.nth(1))];
    await poll(async () => (await texts()).join('|')).toMatch(
      /left-4.*\|.*right-9|right-9.*\|.*left-4/s,
    );
    await context.close();
  });

  it('opens one terminal after another beside the biggest pane, not halving the last one', async () => {
    const { context, page } = await open();
    for (let i = 0; i < 4; i++) await newTerminal(page);
    const panes = workspace(page).getByRole('region');
    await poll(() => panes.count()).toBe(5);
    for (const box of await Promise.all((await panes.all()).map((p) => p.boundingBox()))) {
      // No sliver: each keeps room for a usable terminal.
      expect(box!.width).toBeGreaterThan(240);
      expect(box!.height).toBeGreaterThan(150);
    }
    await context.close();
  });

  it('finds text in the terminal with Ctrl+Shift+F', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    await run(page, pane, 'printf "needle-%s\\n" one two three');
    await poll(() => screenText(pane)).toContain('needle-three');
    await pane.locator('.xterm').click();
    await page.keyboard.press('Control+Shift+F');
    const find = pane.getByRole('textbox', { name: 'Find in terminal' });
    await find.fill('needle-');
    await poll(() => pane.getByRole('search').textContent()).toMatch(/of [34]/);
    await find.press('Escape');
    await poll(() => find.count()).toBe(0);
    await context.close();
  });

  it('keeps every line of a fast burst in the scrollback, to scroll back to or find', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    // Far more lines than tmux draws for one read of the output.
    await run(page, pane, 'seq 300001 300600');
    await poll(() => screenText(pane)).toContain('300600');
    await pane.locator('.xterm').click();
    await page.keyboard.press('Control+Shift+F');
    const find = pane.getByRole('textbox', { name: 'Find in terminal' });
    await find.fill('300123');
    await poll(() => pane.getByRole('search').textContent()).toMatch(/1 of 1/);
    await context.close();
  });

  it('opens the SSH host forms inside the window, where they can be used', async () => {
    const { context, page } = await open();
    /** The element is within the window and nothing covers its middle. */
    const usable = (l: Locator) =>
      l.evaluate((el) => {
        const r = el.getBoundingClientRect();
        const inside =
          r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return inside && !!hit && el.contains(hit);
      });
    await page.getByRole('button', { name: 'Add SSH host' }).click();
    const add = page.getByRole('dialog', { name: 'Add SSH host' });
    await poll(() => usable(add.getByRole('button', { name: 'Add host' }))).toBe(true);
    await add.getByLabel('Name').fill('edge');
    await add.getByLabel('Host').fill('127.0.0.1');
    await add.getByLabel('User').fill('nobody');
    await add.getByRole('button', { name: 'Add host' }).click();
    // The edit form of a host in the list (a list that scrolls) is not cut off by it either.
    await page.getByRole('button', { name: 'Edit edge' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit edge' });
    await poll(() => usable(edit.getByRole('button', { name: 'Save host' }))).toBe(true);
    await edit.getByRole('button', { name: 'Remove host' }).click();
    await context.close();
  });

  it('says which SSH host field is wrong, by the field, and adds nothing until it is right', async () => {
    const { context, page } = await open();
    await page.getByRole('button', { name: 'Add SSH host' }).click();
    const add = page.getByRole('dialog', { name: 'Add SSH host' });
    await add.getByLabel('Name').fill('careful');
    await add.getByLabel('Host').fill('-oProxyCommand=sh');
    await add.getByLabel('User').fill('me');
    await add.getByLabel('Identity file (optional)').fill('id_ed25519');
    await add.getByRole('button', { name: 'Add host' }).click();

    const host = add.getByRole('textbox', { name: 'Host' });
    const identity = add.getByRole('textbox', { name: 'Identity file (optional)' });
    const problem = (l: Locator) =>
      l.evaluate((el) =>
        el.getAttribute('aria-invalid') === 'true'
          ? document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent
          : null,
      );
    await poll(() => problem(host)).toMatch(/host name or IP address/);
    expect(await problem(identity)).toMatch(/absolute path, or one in your home/);
    expect(await problem(add.getByRole('textbox', { name: 'User' }))).toBeNull();
    expect(await host.evaluate((el) => el === document.activeElement)).toBe(true);
    const listed = async () => {
      const res = await page.request.get(new URL('/api/term/ssh-hosts', page.url()).href);
      return ((await res.json()) as { hosts: { name: string }[] }).hosts.map((h) => h.name);
    };
    expect(await listed()).not.toContain('careful');

    await host.fill('127.0.0.1');
    expect(await problem(host)).toBeNull();
    expect(await problem(identity)).not.toBeNull();
    await identity.fill('~/.ssh/id_ed25519');
    await add.getByRole('button', { name: 'Add host' }).click();
    await page.getByRole('button', { name: 'Edit careful' }).waitFor();
    expect(await listed()).toContain('careful');
    await page.getByRole('button', { name: 'Edit careful' }).click();
    await page
      .getByRole('dialog', { name: 'Edit careful' })
      .getByRole('button', { name: 'Remove host' })
      .click();
    await page.getByRole('button', { name: 'Confirm remove' }).click();
    await poll(() => page.getByRole('button', { name: 'Edit careful' }).count()).toBe(0);
    await context.close();
  });

  it('acknowledges a flood of output as it is written, and stops `yes` with Ctrl+C', async () => {
    const { context, page } = await open();
    const pane = await newTerminal(page);
    // ~600 KB: well past the point where the server pauses output that is not acknowledged.
    await run(page, pane, 'seq 1 100000; echo flood-$((2+3))');
    await poll(() => screenText(pane)).toContain('flood-5');
    await run(page, pane, 'yes');
    await poll(() => screenText(pane)).toMatch(/(y\s*){10}/);
    await page.keyboard.press('Control+C');
    await run(page, pane, 'echo stopped-$((3+4))');
    await poll(() => screenText(pane)).toContain('stopped-7');
    await context.close();
  });

  it('folds the sidebar away on a narrow screen when it opens a terminal', async () => {
    const { context, page } = await open();
    await page.setViewportSize({ width: 390, height: 844 });
    const sidebar = page.getByRole('complementary', { name: 'Chats' });
    await page.getByRole('button', { name: 'Toggle sidebar', expanded: false }).click();
    expect(await sidebar.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'New terminal' }).click();
    await page
      .getByRole('combobox', { name: 'Directory' })
      .selectOption({ label: 'Home directory' });
    await page.getByRole('button', { name: 'Open terminal' }).click();
    await poll(() => sidebar.isVisible()).toBe(false);
    await workspace(page)
      .getByRole('region', { name: /^Terminal/ })
      .last()
      .waitFor();
    await context.close();
  });
});

describe('OSC 52 from a program', () => {
  // printf of OSC 52 with base64 text, as vim or tmux over SSH send it; the echo after it says
  // the sequence went through xterm.js.
  const osc52 = (text: string, marker: string) =>
    `printf '\\033]52;c;%s\\a' "$(printf ${text} | base64)"; echo ${marker}-$((1+1))`;
  const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

  it('leaves the clipboard alone unless the user let programs set it, then sets it', async () => {
    const { context, page } = await open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.evaluate(() => navigator.clipboard.writeText('mine'));

    const pane = await newTerminal(page);
    await run(page, pane, osc52('pwned', 'sent'));
    await poll(() => screenText(pane)).toContain('sent-2');
    expect(await clipboard(page)).toBe('mine');

    await page.getByRole('button', { name: 'Terminal settings' }).click();
    const allow = page.getByRole('checkbox', { name: /Let programs set the clipboard/ });
    expect(await allow.isChecked()).toBe(false);
    await allow.check();
    await page.keyboard.press('Escape');
    const second = await newTerminal(page);
    await run(page, second, osc52('copied', 'again'));
    await poll(() => screenText(second)).toContain('again-2');
    await poll(() => clipboard(page)).toBe('copied');
    await context.close();
  });
});
