import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BOOCODE_VERSION } from '@boocode/protocol';
import { mcpTestServers, type ChatRequest, type Reply } from '@boocode/testkit';
import { startWorld, type World } from './harness.ts';

const require = createRequire(import.meta.url);
const everythingJs = require.resolve('@modelcontextprotocol/server-everything/dist/index.js');

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(() => w?.close());

async function addStdioServer(page: Page, name: string, command: string, args: string[]) {
  const form = page.getByRole('form', { name: 'Add MCP server' });
  await form.getByRole('textbox', { name: 'Name' }).fill(name);
  await form.getByRole('textbox', { name: 'Command' }).fill(command);
  await form.getByRole('textbox', { name: 'Arguments' }).fill(args.join('\n'));
  await form.getByRole('button', { name: 'Add server' }).click();
}

/** Echoes once through the MCP server, then answers with what came back. */
function echoThenAnswer(req: ChatRequest): Reply {
  const last = req.messages.at(-1)!;
  if (last.role === 'tool') return { content: [`The server said: ${String(last.content)}`] };
  return {
    toolCalls: [{ name: 'everything__echo', arguments: JSON.stringify({ message: 'from e2e' }) }],
  };
}

describe('MCP servers in the browser', () => {
  it('adds a stdio server in Settings, sees it ready, and its tool is used in a chat', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByRole('heading', { name: 'MCP servers' }).waitFor();
    await dialog.getByText('No MCP servers yet.').waitFor();
    await dialog.getByText(`About: boocode ${BOOCODE_VERSION}`).waitFor();
    await addStdioServer(page, 'everything', process.execPath, [everythingJs, 'stdio']);

    // The status moves on without a reload: connecting, then ready with what the server said.
    const card = dialog.getByRole('listitem', { name: 'everything' });
    await card.getByText('ready', { exact: true }).waitFor();
    await card.getByText('mcp-servers/everything 2.0.0').waitFor();
    await card.getByText(/\d+ tools/).waitFor();
    expect(await card.getByRole('switch', { name: 'Enable everything' }).isChecked()).toBe(true);
    const saved = JSON.parse(await readFile(path.join(w.home, 'mcp.json'), 'utf8'));
    expect(saved.mcpServers.everything).toEqual({
      command: process.execPath,
      args: [everythingJs, 'stdio'],
    });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    w.model.setScript(echoThenAnswer);
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('Use the echo tool');
    await box.press('Enter');
    await page.getByText('The server said: Echo: from e2e').waitFor();
    const call = page.getByRole('group', { name: 'Tool call everything__echo' });
    await call.getByText('done').waitFor();
    await call.getByText('everything__echo').click();
    await call.getByText('Echo: from e2e').waitFor();

    // An image result shows as the image.
    w.model.setScript((req: ChatRequest): Reply =>
      req.messages.at(-1)!.role === 'tool'
        ? { content: ['Here is the picture.'] }
        : { toolCalls: [{ name: 'everything__get-tiny-image', arguments: '{}' }] },
    );
    await box.fill('Show me an image');
    await box.press('Enter');
    await page.getByText('Here is the picture.').waitFor();
    const imageCall = page.getByRole('group', { name: 'Tool call everything__get-tiny-image' });
    await imageCall.getByText('everything__get-tiny-image').click();
    const img = imageCall.getByRole('img', { name: 'Image 1 from everything__get-tiny-image' });
    await img.waitFor();
    await expect
      .poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);

    // The chat header lists the server, on, for this chat.
    await page.getByRole('button', { name: 'MCP tools' }).click();
    const tools = page.getByRole('dialog', { name: 'MCP tools' });
    expect(await tools.getByRole('checkbox', { name: /everything/ }).isChecked()).toBe(true);
    await context.close();
  });

  it('shows a server that crashes on start as failed, with its stderr, and removes it', async () => {
    const { context, page } = await w.open();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Settings' });
    await addStdioServer(page, 'crashy', process.execPath, [mcpTestServers.crashOnStart]);
    const card = dialog.getByRole('listitem', { name: 'crashy' });
    await card.getByText('failed', { exact: true }).waitFor();
    await card.getByText('The server process exited before it was ready.').waitFor();
    await card.getByText('cannot open /nonexistent/data.db').waitFor();
    await card.getByText(/next try in \d+ s/).waitFor();

    await card.getByRole('button', { name: 'Remove crashy' }).click();
    await card.getByRole('button', { name: 'Confirm remove' }).click();
    await card.waitFor({ state: 'detached' });
    const saved = JSON.parse(await readFile(path.join(w.home, 'mcp.json'), 'utf8'));
    expect(Object.keys(saved.mcpServers)).toEqual(['everything']);
    await context.close();
  });
});
