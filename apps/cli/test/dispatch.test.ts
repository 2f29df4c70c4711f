import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AgentEventList, AgentSessionList, PendingList, ProjectList } from '@boocode/protocol';
import { lastUserText, type ChatRequest, type Reply } from '@boocode/testkit';
import { BIN, boocode, providersFile, startWorld, type World } from './harness.ts';

// A real agent CLI (qwen, from coder's dependencies) against the scripted model server, driven
// through the running server by `boocode agents run` and by the MCP tool `dispatch`.
const qwenBin = fileURLToPath(new URL('../../coder/node_modules/.bin/qwen', import.meta.url));
const hasQwen = existsSync(qwenBin);
if (!hasQwen) console.log(`skipping the dispatch tests: ${qwenBin} is missing (pnpm install)`);

/** qwen raises the price in its worktree: read, write, then says it is done. */
function raisePrice(marker: string, price: string) {
  return (req: ChatRequest): Reply => {
    // qwen's side requests (next-speaker checks) get a plain answer.
    if (!lastUserText(req).includes(marker)) return { content: ['{}'] };
    const worktree = /\/[^"\s\\]*\/worktrees\/[0-9a-f-]{36}/.exec(JSON.stringify(req))?.[0];
    if (!worktree) throw new Error('no worktree path in the model request');
    const file = path.join(worktree, 'price.txt');
    const tools = req.messages.filter((m) => m.role === 'tool').length;
    if (tools === 0) {
      return {
        content: ['Reading ', 'the price.'],
        toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ file_path: file }) }],
      };
    }
    if (tools === 1) {
      const content = `price: ${price}\n`;
      return {
        toolCalls: [
          { name: 'write_file', arguments: JSON.stringify({ file_path: file, content }) },
        ],
      };
    }
    return { content: ['Done.'] };
  };
}

describe.skipIf(!hasQwen)('dispatch to a real agent', () => {
  let w: World;
  let projectId: string;
  beforeAll(async () => {
    w = await startWorld((home) => providersFile(home, { qwen: {} }));
    execFileSync('git', ['add', '-A'], { cwd: w.project });
    const id = ['-c', 'user.name=t', '-c', 'user.email=t@t'];
    execFileSync('git', [...id, 'commit', '-qm', 'first'], { cwd: w.project });
    projectId = ProjectList.parse(await w.api('GET', '/api/projects')).projects[0]!.id;
  });
  afterAll(async () => {
    await w?.close();
  });

  test('agents run streams the turn, exits 0 when it ends, and the edit waits for review', async () => {
    w.model.setScript(raisePrice('raise the price to 12', '12'));
    const r = await boocode(
      ['agents', 'run', 'qwen', 'please raise the price to 12', '-p', 'shop', '--mode', 'yolo'],
      { BOOCODE_HOME: w.home },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reading the price.');
    expect(r.stdout).toContain('[changes] price.txt (pending review)');
    expect(r.stdout).toContain('[done] end_turn');
    expect(await readFile(path.join(w.project, 'price.txt'), 'utf8')).toBe('price: 10\n');
    const { changes } = PendingList.parse(
      await w.api('GET', `/api/coder/pending?projectId=${projectId}`),
    );
    expect(changes.map((c) => c.path)).toEqual(['price.txt']);

    const status = await boocode(['agents', 'status', '--json'], { BOOCODE_HOME: w.home });
    const { sessions } = AgentSessionList.parse(JSON.parse(status.stdout));
    expect(sessions.map((s) => [s.provider, s.status])).toEqual([['qwen', 'idle']]);
    const one = await boocode(['agents', 'status', sessions[0]!.id, '--json'], {
      BOOCODE_HOME: w.home,
    });
    const { frames } = AgentEventList.parse(JSON.parse(one.stdout));
    expect(frames.at(-1)?.event).toEqual({ type: 'done', stopReason: 'end_turn' });
  });

  test('the MCP tool dispatch returns the final text, the changed paths and the status', async () => {
    w.model.setScript(raisePrice('raise the price to 15', '15'));
    const client = new Client({ name: 'cli-test', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BOOCODE_HOME: w.home },
      }),
    );
    try {
      const r = (await client.callTool(
        {
          name: 'dispatch',
          arguments: {
            provider: 'qwen',
            project: w.project,
            prompt: 'please raise the price to 15',
            mode: 'yolo',
          },
        },
        undefined,
        { timeout: 120_000 },
      )) as CallToolResult;
      expect(r.isError).toBeFalsy();
      const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
      expect(JSON.parse(text)).toMatchObject({
        status: 'done',
        reason: 'end_turn',
        changedPaths: ['price.txt'],
        text: expect.stringContaining('Done.') as unknown,
      });
    } finally {
      await client.close();
    }
  });
});
