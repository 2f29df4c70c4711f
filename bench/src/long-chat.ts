// bench/long-chat: a chat of 10,000 messages (mixed lengths, code blocks) seeded
// in the database and opened in Chromium. Prints the time from navigation to
// the newest message painted and the number of DOM nodes (goals <= 1 s and
// < 5,000), in a new browser profile and in one that opened the app before,
// against a baseline measured in the same run: the same messages mounted all at
// once as plain HTML, as a chat without virtualization does.
import type { Browser, BrowserContext } from 'playwright-core';
import { createChat, type Sql } from '@boocode/db';
import { launchChromium } from '@boocode/testkit';
import { startModelServerProcess, startServer, type BenchEnv } from './env.ts';

const N = 10_000;

function body(i: number): string {
  if (i % 10 === 3) {
    return `Here is a function:\n\n\`\`\`ts\nexport function f${i}(x: number): number {\n  return x * ${i};\n}\n\`\`\`\n\nIt multiplies.`;
  }
  const words = 5 + ((i * 37) % 120);
  return (
    Array.from({ length: words }, (_, k) => `word${(i + k) % 97}`).join(' ') + ` (message ${i})`
  );
}

async function seed(sql: Sql): Promise<string> {
  const chat = await createChat(sql, { title: 'Ten thousand', model: 'scripted-small' });
  const positions = Array.from({ length: N }, (_, i) => i);
  await sql`
    insert into messages (chat_id, position, role, status, parts)
    select ${chat.id}, p, r, 'complete', jsonb_build_array(jsonb_build_object('type', 'text', 'text', t))
    from unnest(
      ${positions}::int[],
      ${positions.map((i) => (i % 2 ? 'assistant' : 'user'))}::text[],
      ${positions.map(body)}::text[]
    ) as x(p, r, t)`;
  return chat.id;
}

type Cookies = Parameters<BrowserContext['addCookies']>[0];

/** A browser context to open pages in: fresh (nothing cached), or kept across loads. */
async function contextFor(browser: Browser, cookies?: Cookies): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  if (cookies) await context.addCookies(cookies);
  return context;
}

/** Time from navigation to `lastText` painted, and the DOM's size then. */
async function measure(
  context: BrowserContext,
  open: { url: string } | { html: string },
  lastText: string,
) {
  const page = await context.newPage();
  const t0 = Date.now();
  if ('html' in open) await page.setContent(open.html, { waitUntil: 'commit' });
  else await page.goto(open.url, { waitUntil: 'commit' });
  await page
    .getByText(lastText, { exact: false })
    .last()
    .waitFor({ state: 'visible', timeout: 60_000 });
  // the frame in which it is painted
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  const ms = Date.now() - t0;
  const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
  await page.close();
  return { ms, nodes };
}

export async function longChat(env: BenchEnv): Promise<void> {
  const model = await startModelServerProcess(10);
  const db = await env.newDatabase();
  const chatId = await seed(db.sql);
  const server = await startServer({ DATABASE_URL: db.url, LLM_BASE_URL: model.url });
  const browser = await launchChromium();
  const last = `(message ${N - 1})`;
  const signIn = await browser.newContext();
  const p = await signIn.newPage();
  await p.goto(server.url.href);
  await p.getByRole('button', { name: 'New chat' }).waitFor();
  const cookies = await signIn.cookies();
  await signIn.close();

  const html = `<!doctype html><html><body>${Array.from(
    { length: N },
    (_, i) =>
      `<article><p>${body(i).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</p></article>`,
  ).join('')}<script>scrollTo(0, document.body.scrollHeight)</script></body></html>`;

  const url = `${server.url.origin}/c/${chatId}`;
  const cold: { ms: number; nodes: number }[] = [];
  const baseline: { ms: number; nodes: number }[] = [];
  for (let i = 0; i < 3; i++) {
    // Cold: a new browser profile each time, nothing cached.
    let context = await contextFor(browser, cookies);
    cold.push(await measure(context, { url }, last));
    await context.close();
    context = await contextFor(browser);
    baseline.push(await measure(context, { html }, last));
    await context.close();
  }
  // Warm: the same profile opening the chat again, as a user does (the app's files cached).
  const warmContext = await contextFor(browser, cookies);
  await measure(warmContext, { url }, last);
  const warm: { ms: number; nodes: number }[] = [];
  for (let i = 0; i < 3; i++) warm.push(await measure(warmContext, { url }, last));
  await warmContext.close();
  await browser.close();
  await server.stop();
  await model.stop();
  await db.drop();

  const best = (xs: { ms: number }[]) => Math.min(...xs.map((x) => x.ms));
  const base = best(baseline);
  console.log(`long-chat: ${N} messages, best of ${cold.length}`);
  for (const [name, runs] of [
    ['new browser profile', cold],
    ['profile used before', warm],
  ] as const) {
    console.log(
      `  boocode, ${name}: newest messages painted in ${best(runs)} ms (goal <= 1000), ${runs[0]!.nodes} DOM nodes (goal < 5000); ratio to baseline ${(best(runs) / base).toFixed(2)}`,
    );
  }
  console.log(
    `  baseline (all rows mounted, plain HTML): ${base} ms, ${baseline[0]!.nodes} DOM nodes`,
  );
}
