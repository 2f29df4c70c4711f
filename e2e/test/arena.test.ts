import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastUserText, makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';
import { priceRound, worktreeIn } from './qwen-price.ts';

// The Arena in the browser: the real server, coder and two qwen entrants (apps/coder's
// dependency) against the scripted model server, side by side in one coder pane.
const qwenBin = fileURLToPath(new URL('../../apps/coder/node_modules/.bin/qwen', import.meta.url));
const hasQwen = existsSync(qwenBin);
if (!hasQwen) console.log(`skipping the arena e2e test: ${qwenBin} is missing (pnpm install)`);

const PRICE = 'price: 10\n';

let w: World;
let tmp: string;
let file: string;
let context: BrowserContext;
let page: Page;
let pane: Locator;

/** Each worktree the model hears from gets its own price, in the order they first ask: 21, 22. */
const prices = new Map<string, number>();

/**
 * "raise the price": read price.txt, write the entrant's price (qwen writes only a file read in
 * the session), then say so. Anything else is one of qwen's side requests.
 */
function script(req: ChatRequest): Reply {
  const worktree = worktreeIn(req);
  if (!lastUserText(req).includes('raise the price') || !worktree) return { content: ['{}'] };
  if (!prices.has(worktree)) prices.set(worktree, 21 + prices.size);
  return priceRound(req, worktree, prices.get(worktree)!);
}

beforeAll(async () => {
  if (!hasQwen) return;
  tmp = await mkdtemp(path.join(os.tmpdir(), 'boocode-e2e-arena-'));
  const repo = path.join(tmp, 'shop');
  await makeGitRepo(repo, { 'price.txt': PRICE });
  const git = ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t'];
  execFileSync('git', [...git, 'add', '-A']);
  execFileSync('git', [...git, 'commit', '-qm', 'first']);
  file = path.join(repo, 'price.txt');
  // Only qwen runs: the other agents' probes would load the machine under the test.
  const off = { enabled: false };
  const providers = { providers: { claude: off, opencode: off, copilot: off } };
  w = await startWorld({ BOOCODE_PROJECTS: repo }, (home) =>
    writeFile(path.join(home, 'coder-providers.json'), JSON.stringify(providers)),
  );
  w.model.setScript(script);
  ({ context, page } = await w.open());
  pane = page.getByRole('region', { name: 'Coder · shop' });
});
afterAll(async () => {
  await context?.close();
  await w?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const column = (n: number) => pane.getByRole('region', { name: new RegExp(`^Entrant ${n}: `) });
const diffOf = (name: string) =>
  pane.getByRole('region', { name: 'Review' }).getByRole('table', { name: `Diff of ${name}` });

describe.skipIf(!hasQwen)('the Arena', () => {
  it("starts two entrants on one prompt, streams both side by side, and the pick makes the winner's diff the pending one", async () => {
    await page.getByRole('button', { name: 'New coder' }).click();
    const picker = page.getByRole('combobox', { name: 'Project' }).last();
    await expect.poll(async () => picker.locator('option:checked').textContent()).toBe('shop');
    await page.getByRole('button', { name: 'Open coder' }).click();

    await pane.getByRole('button', { name: 'Arena', exact: true }).click();
    for (const n of [1, 2]) {
      const entrant = pane.getByRole('group', { name: `Entrant ${n}` });
      await entrant
        .getByRole('combobox', { name: 'Provider', exact: true })
        .selectOption({ label: 'Qwen Code' });
      // The modes are the probe's: the option appears once qwen answered its handshake.
      await entrant
        .getByRole('combobox', { name: 'Mode', exact: true })
        .selectOption({ label: 'Default' });
    }
    await pane.getByRole('textbox', { name: 'Arena prompt' }).fill('please raise the price');
    await pane.getByRole('button', { name: 'Start', exact: true }).click();

    // Both stream, each asks to write in its own column, and each is allowed there.
    for (const n of [1, 2]) {
      const col = column(n);
      await col
        .getByRole('article', { name: 'Agent message' })
        .getByText('Reading the price.')
        .waitFor();
      const ask = col.getByRole('group', { name: 'Permission request' });
      await ask.getByRole('button', { name: 'Allow', exact: true }).click();
    }
    for (const n of [1, 2]) {
      const col = column(n);
      await col.getByText(/Done: the price is 2[12]\./).waitFor();
      await col.getByRole('status', { name: 'Agent status' }).filter({ hasText: 'Idle' }).waitFor();
      await col.getByRole('list', { name: 'Files changed' }).getByText('price.txt').waitFor();
    }
    // Nothing is pending before the pick.
    const queued = () => w.db.sql<{ path: string }[]>`SELECT path FROM pending_changes`;
    expect(await queued()).toEqual([]);
    expect(await diffOf('price.txt').count()).toBe(0);

    const winner = pane.getByRole('region', { name: /^Entrant \d: / }).filter({
      hasText: 'Done: the price is 22.',
    });
    await winner.getByRole('button', { name: 'Show diff' }).click();
    await winner.getByRole('table', { name: 'Diff of price.txt' }).getByText('price: 22').waitFor();
    await winner.getByRole('button', { name: 'Pick this one' }).click();

    await diffOf('price.txt').getByText('price: 22').waitFor();
    expect(await diffOf('price.txt').getByText('price: 21').count()).toBe(0);
    await winner.getByText('Winner').waitFor();
    expect(await pane.getByRole('button', { name: 'Pick this one' }).count()).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(PRICE);
    const statuses = await w.db.sql<{ status: string }[]>`
      SELECT status FROM agent_sessions ORDER BY status`;
    expect(statuses.map((s) => s.status)).toEqual(['closed', 'idle']);

    await pane.getByRole('button', { name: 'Arenas' }).click();
    const past = pane.getByRole('region', { name: 'Past arenas' });
    await past.getByText('please raise the price').waitFor();
    await past.getByText('Winner: Qwen Code (default)').waitFor();
  });
});
