import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@agentclientprotocol/sdk';
import { createPathGuard } from '@boocode/files';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acpClient } from '../../../src/agents/acp/acp-client.ts';
import { AcpEvents } from '../../../src/agents/acp/acp-events.ts';
import { Terminals } from '../../../src/agents/acp/terminals.ts';
import { agentDirs, baseEnv, pick, RecordingSink, type AgentDirs } from '../acp-helpers.ts';

let dirs: AgentDirs;
let terminals: Terminals;
let sink: RecordingSink;
let client: Required<Client>;
const sessionId = 's1';

beforeEach(async () => {
  dirs = await agentDirs();
  terminals = new Terminals(dirs.repo, baseEnv(dirs.home));
  sink = new RecordingSink(pick('allow_once'));
  const guard = createPathGuard([{ id: 'worktree', path: dirs.repo }]);
  client = acpClient({
    sink,
    guard,
    terminals,
    events: new AcpEvents((e) => sink.emit(e)),
  }) as Required<Client>;
});
afterEach(async () => {
  await terminals.closeAll();
  await dirs.remove();
});

describe('file methods', () => {
  it('reads a whole file, or limit lines from a 1-based line', async () => {
    const file = path.join(dirs.repo, 'lines.txt');
    await writeFile(file, 'one\ntwo\nthree\nfour\n');
    expect(await client.readTextFile({ sessionId, path: file })).toEqual({
      content: 'one\ntwo\nthree\nfour\n',
    });
    expect(await client.readTextFile({ sessionId, path: file, line: 2, limit: 2 })).toEqual({
      content: 'two\nthree',
    });
  });

  it('refuses to read outside the worktree', async () => {
    await expect(client.readTextFile({ sessionId, path: '/etc/passwd' })).rejects.toThrow(
      /outside the allowed root/,
    );
  });

  it('answers a missing file as not found', async () => {
    await expect(
      client.readTextFile({ sessionId, path: path.join(dirs.repo, 'nope.txt') }),
    ).rejects.toThrow(/not found/i);
  });

  it('writes a file into a new folder of the worktree', async () => {
    const file = path.join(dirs.repo, 'src', 'deep', 'a.ts');
    expect(await client.writeTextFile({ sessionId, path: file, content: 'x\n' })).toEqual({});
    expect(await readFile(file, 'utf8')).toBe('x\n');
  });

  it('refuses a write outside the worktree and writes nothing', async () => {
    const outside = path.join(dirs.home, 'evil.txt');
    await expect(client.writeTextFile({ sessionId, path: outside, content: 'x' })).rejects.toThrow(
      /outside the allowed root/,
    );
    await expect(
      client.writeTextFile({ sessionId, path: `${dirs.repo}/../home/evil2.txt`, content: 'x' }),
    ).rejects.toThrow(/outside the allowed root/);
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(path.join(dirs.home, 'evil2.txt'))).toBe(false);
  });

  it('refuses a write into .git', async () => {
    await expect(
      client.writeTextFile({
        sessionId,
        path: path.join(dirs.repo, '.git', 'config'),
        content: '',
      }),
    ).rejects.toThrow(/\.git/);
    expect(await readFile(path.join(dirs.repo, '.git', 'config'), 'utf8')).not.toBe('');
  });
});

describe('permission questions', () => {
  it('asks the sink with the options and answers the picked one', async () => {
    const answer = await client.requestPermission({
      sessionId,
      toolCall: { toolCallId: 'c1', title: 'Write a.txt', kind: 'edit', rawInput: { a: 1 } },
      options: [
        { optionId: 'ok', name: 'Allow', kind: 'allow_once' },
        { optionId: 'no', name: 'Reject', kind: 'reject_once' },
      ],
    });
    expect(answer).toEqual({ outcome: { outcome: 'selected', optionId: 'ok' } });
    expect(sink.asks).toEqual([
      {
        toolCallId: 'c1',
        title: 'Write a.txt',
        options: [
          { id: 'ok', name: 'Allow', kind: 'allow_once' },
          { id: 'no', name: 'Reject', kind: 'reject_once' },
        ],
      },
    ]);
    // The call was never announced (qwen asks first): it is shown before the question.
    expect(sink.events).toEqual([
      {
        type: 'tool.call',
        toolCallId: 'c1',
        title: 'Write a.txt',
        kind: 'edit',
        status: 'pending',
        input: { a: 1 },
      },
    ]);
  });

  it('answers cancelled when the sink cancels the question', async () => {
    const cancelling = acpClient({
      sink: new RecordingSink(() => ({ cancelled: true })),
      guard: createPathGuard([{ id: 'worktree', path: dirs.repo }]),
      terminals,
      events: new AcpEvents(() => {}),
    });
    const answer = await cancelling.requestPermission({
      sessionId,
      toolCall: { toolCallId: 'c1' },
      options: [{ optionId: 'ok', name: 'Allow', kind: 'allow_once' }],
    });
    expect(answer).toEqual({ outcome: { outcome: 'cancelled' } });
  });

  it('answers an unknown extension request with {} and ignores an extension notification', async () => {
    expect(await client.extMethod('craft/drainMidTurnQueue', {})).toEqual({});
    expect(await client.extNotification('qwen/notify/session/mode-update', {})).toBeUndefined();
  });
});

describe('terminal methods', () => {
  it('runs a shell line in the worktree and reports its output and exit code', async () => {
    const { terminalId } = await client.createTerminal({ sessionId, command: 'pwd; exit 4' });
    expect(await client.waitForTerminalExit({ sessionId, terminalId })).toEqual({
      exitCode: 4,
      signal: null,
    });
    expect(await client.terminalOutput({ sessionId, terminalId })).toEqual({
      output: `${dirs.repo}\n`,
      truncated: false,
      exitStatus: { exitCode: 4, signal: null },
    });
  });

  it('runs a command with args and the env the agent adds', async () => {
    const { terminalId } = await client.createTerminal({
      sessionId,
      command: 'sh',
      args: ['-c', 'echo "$GREETING"'],
      env: [{ name: 'GREETING', value: 'hey' }],
    });
    await client.waitForTerminalExit({ sessionId, terminalId });
    expect((await client.terminalOutput({ sessionId, terminalId })).output).toBe('hey\n');
  });

  it('keeps only the last outputByteLimit bytes, never splitting a character', async () => {
    const { terminalId } = await client.createTerminal({
      sessionId,
      command: "printf 'aaaaaaaaaa'; printf 'éééééé'; printf END",
      outputByteLimit: 8,
    });
    await client.waitForTerminalExit({ sessionId, terminalId });
    const { output, truncated } = await client.terminalOutput({ sessionId, terminalId });
    expect(truncated).toBe(true);
    expect(output).toBe('ééEND');
  });

  it('kills a running command, keeping the terminal readable', async () => {
    const { terminalId } = await client.createTerminal({ sessionId, command: 'sleep 100' });
    await client.killTerminal({ sessionId, terminalId });
    expect(await client.waitForTerminalExit({ sessionId, terminalId })).toEqual({
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect((await client.terminalOutput({ sessionId, terminalId })).truncated).toBe(false);
  });

  it('forgets a released terminal', async () => {
    const { terminalId } = await client.createTerminal({ sessionId, command: 'sleep 100' });
    await client.releaseTerminal({ sessionId, terminalId });
    await expect(client.terminalOutput({ sessionId, terminalId })).rejects.toThrow(/not found/i);
  });

  it('refuses a cwd outside the worktree', async () => {
    await expect(
      client.createTerminal({ sessionId, command: 'true', cwd: dirs.home }),
    ).rejects.toThrow(/outside/);
  });
});
