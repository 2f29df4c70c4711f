import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startWorld, type World } from './harness.ts';

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());
// Each test starts from the default layout: one chat pane.
beforeEach(async () => {
  await w.db.sql`delete from workspaces`;
});

// The browser shares two cores with the server: give the page time.
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 20_000 });

const workspace = (page: Page) => page.getByRole('main', { name: 'Workspace' });
const closeButtons = (page: Page) => workspace(page).getByRole('button', { name: 'Close pane' });
const paneRegions = (page: Page) => workspace(page).locator(':scope > section:visible');

/** The stored layout, once a save has landed that satisfies `pred`. */
async function storedLayout(pred: (layout: string) => boolean): Promise<string> {
  let text = '';
  await poll(async () => {
    const [row] = await w.db.sql<{ layout: unknown }[]>`select layout from workspaces`;
    text = row ? JSON.stringify(row.layout) : '';
    return pred(text);
  }).toBe(true);
  return text;
}

/**
 * Does a change and waits for the layout save it causes: a page closed with a save still to
 * send sends it on the way out, and it would land in the next test's database.
 */
async function saved(page: Page, change: () => Promise<void>): Promise<void> {
  await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith('/api/workspace') && r.request().method() === 'PUT',
    ),
    change(),
  ]);
}

async function boxes(page: Page) {
  const regions = paneRegions(page);
  const n = await regions.count();
  const out: { name: string | null; x: number; y: number; width: number; height: number }[] = [];
  for (let i = 0; i < n; i++) {
    const r = regions.nth(i);
    const box = (await r.boundingBox())!;
    out.push({ name: await r.getAttribute('aria-label'), ...box });
  }
  return out.sort((a, b) => a.x - b.x || a.y - b.y);
}

describe('panes', () => {
  it('splits right and down, and finds the layout after a reload', async () => {
    const { context, page } = await w.open();
    await poll(() => closeButtons(page).count()).toBe(1);

    await workspace(page).getByRole('button', { name: 'Split right' }).click();
    await poll(() => closeButtons(page).count()).toBe(2);
    await workspace(page).getByRole('button', { name: 'Split down' }).nth(1).click();
    await poll(() => closeButtons(page).count()).toBe(3);

    const before = await boxes(page);
    // One pane on the left, the full height; two stacked on the right.
    expect(before[1]!.x).toBeGreaterThan(before[0]!.x + 100);
    expect(before[2]!.x).toBe(before[1]!.x);
    expect(before[2]!.y).toBeGreaterThan(before[1]!.y + 100);
    expect(before[0]!.height).toBeGreaterThan(before[1]!.height * 1.8);

    await storedLayout((l) => (l.match(/"type":"pane"/g) ?? []).length === 3);
    await page.reload();
    await poll(() => closeButtons(page).count()).toBe(3);
    const after = await boxes(page);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(after[i]!.x - before[i]!.x)).toBeLessThan(3);
      expect(Math.abs(after[i]!.y - before[i]!.y)).toBeLessThan(3);
      expect(Math.abs(after[i]!.width - before[i]!.width)).toBeLessThan(3);
    }
    await context.close();
  });

  it('keeps a size dragged with the keyboard', async () => {
    const { context, page } = await w.open();
    await workspace(page).getByRole('button', { name: 'Split right' }).click();
    await poll(() => closeButtons(page).count()).toBe(2);
    const separator = workspace(page).getByRole('separator');
    const start = Number(await separator.getAttribute('aria-valuenow'));
    await separator.focus();
    for (let i = 0; i < 3; i++) await separator.press('ArrowLeft');
    await poll(async () => Number(await separator.getAttribute('aria-valuenow'))).toBeLessThan(
      start - 5,
    );
    const moved = Number(await separator.getAttribute('aria-valuenow'));
    await storedLayout((l) => !l.includes('"sizes":[50,50]'));
    await page.reload();
    await poll(() => closeButtons(page).count()).toBe(2);
    await poll(async () =>
      Number(await workspace(page).getByRole('separator').getAttribute('aria-valuenow')),
    ).toBeCloseTo(moved, 0);
    await context.close();
  });

  it('drags a separator with the mouse, grabbed a few pixels either side of its line, keeping the focus', async () => {
    const { context, page } = await w.open();
    await saved(page, () => workspace(page).getByRole('button', { name: 'Split right' }).click());
    await poll(() => closeButtons(page).count()).toBe(2);
    const separator = workspace(page).getByRole('separator');
    // The focus is in the second pane's message box, and stays there through the drags.
    const box2 = paneRegions(page).nth(1).getByRole('textbox', { name: 'Message' });
    await box2.focus();
    for (const [offset, by] of [
      [-3, -120],
      [3, 120],
    ] as const) {
      const before = Number(await separator.getAttribute('aria-valuenow'));
      const box = (await separator.boundingBox())!;
      // Whole pixels, as a real mouse gives.
      const x = Math.round(box.x + box.width / 2 + offset);
      const y = Math.round(box.y + box.height / 2);
      await saved(page, async () => {
        await page.mouse.move(x, y);
        await page.mouse.down();
        await page.mouse.move(x + by, y, { steps: 8 });
        await page.mouse.up();
      });
      const after = Number(await separator.getAttribute('aria-valuenow'));
      if (by < 0) expect(after).toBeLessThan(before - 5);
      else expect(after).toBeGreaterThan(before + 5);
      await poll(() => box2.evaluate((el) => el === document.activeElement)).toBe(true);
    }
    await context.close();
  });

  it('maximises one pane and restores it, across a reload', async () => {
    const { context, page } = await w.open();
    await workspace(page).getByRole('button', { name: 'Split right' }).click();
    await poll(() => paneRegions(page).count()).toBe(2);
    await workspace(page).getByRole('button', { name: 'Maximise pane' }).nth(1).click();
    await poll(() => paneRegions(page).count()).toBe(1);
    const area = (await workspace(page).boundingBox())!;
    const shown = (await paneRegions(page).first().boundingBox())!;
    expect(shown.width).toBeCloseTo(area.width, 0);

    await storedLayout((l) => /"maximized":"[^"]+"/.test(l));
    await page.reload();
    await poll(() => paneRegions(page).count()).toBe(1);
    await saved(page, () => workspace(page).getByRole('button', { name: 'Restore pane' }).click());
    await poll(() => paneRegions(page).count()).toBe(2);
    await context.close();
  });

  it('closes a pane and keeps it closed after a reload', async () => {
    const { context, page } = await w.open();
    await workspace(page).getByRole('button', { name: 'Split right' }).click();
    await workspace(page).getByRole('button', { name: 'Split down' }).first().click();
    await poll(() => closeButtons(page).count()).toBe(3);
    await closeButtons(page).nth(1).click();
    await poll(() => closeButtons(page).count()).toBe(2);
    await storedLayout((l) => (l.match(/"type":"pane"/g) ?? []).length === 2);
    await page.reload();
    await poll(() => closeButtons(page).count()).toBe(2);
    await context.close();
  });

  it('gives a second chat pane its own chat, kept across a reload', async () => {
    w.model.setScript([{ content: ['Hello from the side.'] }]);
    const { context, page } = await w.open();
    await workspace(page).getByRole('button', { name: 'Split right' }).click();
    await poll(() => closeButtons(page).count()).toBe(2);
    const second = paneRegions(page).nth(1);
    const box = second.getByRole('textbox', { name: 'Message' });
    await box.fill('Side question');
    await box.press('Enter');
    await second
      .getByRole('article', { name: 'assistant message' })
      .getByText('Hello from the side.')
      .waitFor();
    // The address bar still shows the first pane's (new) chat.
    expect(new URL(page.url()).pathname).toBe('/');
    await poll(() => paneRegions(page).first().getByRole('article').count()).toBe(0);

    await storedLayout((l) => /"chatId":"[0-9a-f-]{36}"/.test(l));
    await page.reload();
    await poll(() => closeButtons(page).count()).toBe(2);
    await paneRegions(page)
      .nth(1)
      .getByRole('article', { name: 'user message' })
      .getByText('Side question')
      .waitFor();
    await context.close();
  });

  it('shows one pane at a time on a narrow screen, the one last opened from the sidebar', async () => {
    w.model.setScript([{ content: ['Answered narrowly.'] }]);
    const { context, page } = await w.open();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Narrow talk');
    await box.press('Enter');
    await page.getByText('Answered narrowly.').waitFor();
    await saved(page, async () => {
      await page.getByRole('button', { name: 'New terminal' }).click();
      await page
        .getByRole('combobox', { name: 'Directory' })
        .selectOption({ label: 'Home directory' });
      await page.getByRole('button', { name: 'Open terminal' }).click();
    });
    await poll(() => paneRegions(page).count()).toBe(2);

    await page.setViewportSize({ width: 390, height: 844 });
    /** The one pane on screen: its name, and whether it spans the workspace's width. */
    const onScreen = async () => {
      const shown = await boxes(page);
      const area = (await workspace(page).boundingBox())!;
      return shown.map((b) => `${b.name}${b.width === area.width ? ' (full width)' : ''}`);
    };
    await poll(onScreen).toEqual([expect.stringMatching(/^Terminal.* \(full width\)$/)]);

    const toggle = page.getByRole('button', { name: 'Toggle sidebar' });
    const showSidebar = async () => {
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    };
    await showSidebar();
    await page.getByRole('link', { name: 'Narrow talk' }).click();
    await poll(onScreen).toEqual(['Narrow talk (full width)']);
    await page.getByText('Answered narrowly.').waitFor();

    await showSidebar();
    const terminals = page.getByRole('list', { name: 'Terminals' });
    await terminals
      .getByRole('button', { name: /^Terminal/ })
      .first()
      .click();
    await poll(onScreen).toEqual([expect.stringMatching(/^Terminal.* \(full width\)$/)]);
    await context.close();
  });

  it('folds the sidebar away when the window turns narrow, and brings it back when it widens', async () => {
    const { context, page } = await w.open();
    const toggle = (expanded: boolean) =>
      page.getByRole('button', { name: 'Toggle sidebar', expanded });
    const sidebar = page.getByRole('complementary', { name: 'Chats' });
    await toggle(true).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await toggle(false).waitFor();
    await poll(() => sidebar.isVisible()).toBe(false);
    await page.setViewportSize({ width: 1280, height: 800 });
    await toggle(true).waitFor();
    await poll(() => sidebar.isVisible()).toBe(true);
    await context.close();
  });

  it('gives no two elements the same id when two chat panes show side by side', async () => {
    const { context, page } = await w.open();
    await saved(page, () => workspace(page).getByRole('button', { name: 'Split right' }).click());
    await poll(() => paneRegions(page).getByRole('textbox', { name: 'Message' }).count()).toBe(2);
    // Labels, aria-describedby and focus targets go by id: a second copy breaks them.
    const duplicates = await page.evaluate(() => {
      const seen = new Map<string, number>();
      for (const el of document.querySelectorAll('[id]'))
        seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    });
    expect(duplicates).toEqual([]);
    await context.close();
  });

  it('keeps every header control whole and apart in three chat panes side by side', async () => {
    const { context, page } = await w.open();
    for (let n = 2; n <= 3; n++) {
      await saved(page, () =>
        workspace(page).getByRole('button', { name: 'Split right' }).first().click(),
      );
      await poll(() => closeButtons(page).count()).toBe(n);
    }
    for (let i = 0; i < 3; i++) {
      const pane = paneRegions(page).nth(i);
      const paneBox = (await pane.boundingBox())!;
      const header = pane.locator('header').first();
      const boxes = [];
      for (const control of await header.locator('button:visible, select:visible').all()) {
        const name = (await control.getAttribute('aria-label')) ?? (await control.innerText());
        boxes.push({ name, box: (await control.boundingBox())! });
      }
      expect(boxes.map((b) => b.name)).toEqual(
        expect.arrayContaining(['Model', 'Split right', 'Close pane']),
      );
      for (const [k, a] of boxes.entries()) {
        // inside the pane, at its full size (not squeezed to nothing) ...
        expect(a.box.x).toBeGreaterThanOrEqual(paneBox.x - 1);
        expect(a.box.x + a.box.width).toBeLessThanOrEqual(paneBox.x + paneBox.width + 1);
        expect(a.box.width).toBeGreaterThanOrEqual(24);
        // ... and over no other control
        for (const b of boxes.slice(k + 1)) {
          const apart =
            a.box.x + a.box.width <= b.box.x + 0.5 ||
            b.box.x + b.box.width <= a.box.x + 0.5 ||
            a.box.y + a.box.height <= b.box.y + 0.5 ||
            b.box.y + b.box.height <= a.box.y + 0.5;
          expect(apart, `${a.name} and ${b.name} overlap in pane ${i + 1}`).toBe(true);
        }
      }
    }
    await context.close();
  });

  it('moves the focus between panes with Ctrl+Alt+Arrow', async () => {
    const { context, page } = await w.open();
    await saved(page, () => workspace(page).getByRole('button', { name: 'Split right' }).click());
    await poll(() => closeButtons(page).count()).toBe(2);
    const first = paneRegions(page).nth(0);
    const second = paneRegions(page).nth(1);
    await first.getByRole('textbox', { name: 'Message' }).focus();
    await page.keyboard.press('Control+Alt+ArrowRight');
    await poll(() => second.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Control+Alt+ArrowLeft');
    await poll(() => first.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await context.close();
  });

  it('opens a chat from the list in a pane again after every pane was closed', async () => {
    const { context, page } = await w.open();
    await closeButtons(page).click();
    await poll(() => closeButtons(page).count()).toBe(0);
    await saved(page, () => page.getByRole('button', { name: 'New chat', exact: true }).click());
    await poll(() => closeButtons(page).count()).toBe(1);
    await poll(() =>
      page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null),
    ).toBe('Message');
    await context.close();
  });
});
