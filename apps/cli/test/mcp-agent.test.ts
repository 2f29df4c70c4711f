import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatRequest, Reply } from '@boocode/testkit';
import { BIN, startWorld, type World } from './harness.ts';

// A real agent CLI with `boocode mcp` as its MCP server: qwen (apps/coder's dependency), run
// headless against the scripted model server, calls boocode's read_file tool, and the file's
// text comes back to the model as the tool's result.
const qwen = fileURLToPath(new URL('../../coder/node_modules/.bin/qwen', import.meta.url));
const hasQwen = existsSync(qwen);
if (!hasQwen) console.log(`skipping the MCP agent test: ${qwen} is missing (pnpm install)`);

let w: World;
beforeAll(async () => {
  if (hasQwen) w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

/**
 * The name qwen gives boocode's read_file: an MCP tool is deferred, named in the system prompt
 * ("## Deferred Tools") and loaded by its tool_search before it can be called.
 */
const deferredRead = (req: ChatRequest) =>
  /[\w-]*boocode[\w-]*read_file/.exec(JSON.stringify(req.messages[0] ?? ''))?.[0];
const toolNames = (req: ChatRequest) =>
  ((req.tools ?? []) as { function?: { name?: string } }[]).map((t) => t.function?.name);

describe.skipIf(!hasQwen)('boocode mcp in a real agent', { timeout: 90_000 }, () => {
  it("qwen calls boocode's read_file and reads the project's file through it", async () => {
    const home = path.join(w.home, 'qwen-home');
    await mkdir(path.join(home, '.qwen'), { recursive: true });
    await writeFile(
      path.join(home, '.qwen', 'settings.json'),
      JSON.stringify({
        mcpServers: {
          boocode: {
            command: process.execPath,
            args: [BIN, 'mcp'],
            env: { BOOCODE_HOME: w.home },
            trust: true,
          },
        },
      }),
    );
    const results: string[] = [];
    let offered: string | undefined;
    w.model.setScript((req): Reply => {
      const tools = req.messages.filter((m) => m.role === 'tool');
      offered ??= deferredRead(req);
      if (!offered) return { content: ['{}'] };
      if (tools.length === 0) {
        const query = `select:${offered}`;
        return { toolCalls: [{ name: 'tool_search', arguments: JSON.stringify({ query }) }] };
      }
      if (tools.length === 1 && toolNames(req).includes(offered)) {
        const args = JSON.stringify({ project: 'shop', path: 'price.txt' });
        return { toolCalls: [{ name: offered, arguments: args }] };
      }
      results.push(JSON.stringify(tools.at(-1)?.content));
      return { content: ['The price is 10.'] };
    });
    const child = spawn(qwen, ['-p', 'what is the price?', '--yolo'], {
      cwd: w.project,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        OPENAI_BASE_URL: w.model.url,
        OPENAI_API_KEY: 'x',
        OPENAI_MODEL: 'scripted-small',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('close', r));
    expect({ code, out: out.trim() }, err).toEqual({ code: 0, out: 'The price is 10.' });
    expect(offered).toBeDefined();
    expect(results.join('')).toContain('price: 10');
  });
});
