import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAcpAgent, type FakeAcpMode } from '@boocode/testkit';
import { startAcpAgent } from '../../src/agents/acp/acp-backend.ts';
import { probeAcp } from '../../src/agents/acp/probe.ts';
import type { AgentLaunch, PermissionAnswer } from '../../src/agents/backend.ts';
import { agentDirs, baseEnv, pick, RecordingSink, type AgentDirs } from './acp-helpers.ts';

let dirs: AgentDirs;
beforeEach(async () => {
  dirs = await agentDirs();
});
afterEach(() => dirs.remove());

const pidFile = () => path.join(dirs.home, 'pids');
function launch(mode: FakeAcpMode): AgentLaunch {
  const fake = fakeAcpAgent(mode, pidFile());
  return { command: fake.command, args: fake.args, env: { ...baseEnv(dirs.home), ...fake.env } };
}
/** The fake agent's pid and its helper's, once it wrote them. */
async function pids(): Promise<number[]> {
  return (await readFile(pidFile(), 'utf8')).trim().split(' ').map(Number);
}
/** Whether any of `pids` is still a live process (a zombie waiting to be reaped is gone). */
function anyAlive(list: number[]): boolean {
  return list.some((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
    } catch {
      return false;
    }
  });
}

describe('ACP backend with the fake agent', () => {
  it('streams a turn, asks permission for the write and writes through the client on allow', async () => {
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await startAcpAgent({ launch: launch('normal'), cwd: dirs.repo, sink });
    const { stopReason } = await backend.prompt('go');
    expect(stopReason).toBe('end_turn');
    expect(sink.text()).toBe('Hello from fake.');
    expect(sink.asks).toEqual([
      {
        toolCallId: 'write-1',
        title: 'Write fake.txt',
        options: [
          { id: 'yes', name: 'Allow', kind: 'allow_once' },
          { id: 'no', name: 'Reject', kind: 'reject_once' },
        ],
      },
    ]);
    expect(await readFile(path.join(dirs.repo, 'fake.txt'), 'utf8')).toBe('written by fake\n');
    expect(sink.events.at(-1)).toEqual({ type: 'done', stopReason: 'end_turn' });
    await backend.close();
  });

  it('writes nothing when the permission question is rejected', async () => {
    const sink = new RecordingSink(pick('reject_once'));
    const backend = await startAcpAgent({ launch: launch('normal'), cwd: dirs.repo, sink });
    expect(await backend.prompt('go')).toEqual({ stopReason: 'end_turn' });
    expect(existsSync(path.join(dirs.repo, 'fake.txt'))).toBe(false);
    expect(sink.events).toContainEqual({
      type: 'tool.update',
      toolCallId: 'write-1',
      status: 'failed',
    });
    await backend.close();
  });

  it('reports the modes of session/new and sets the one asked for', async () => {
    const sink = new RecordingSink();
    const backend = await startAcpAgent({
      launch: launch('normal'),
      cwd: dirs.repo,
      sink,
      mode: 'auto',
    });
    expect(backend.started).toEqual({
      models: [
        { id: 'fast', name: 'Fast' },
        { id: 'smart', name: 'Smart' },
        { id: 'broken', name: 'Broken' },
      ],
      modes: [
        { id: 'ask', name: 'Ask' },
        { id: 'auto', name: 'Auto' },
      ],
      currentModel: 'fast',
      currentMode: 'auto',
    });
    expect(sink.events).toEqual([]);
    await backend.close();
  });

  it('says so in an error event when asked for a mode the agent does not offer', async () => {
    const sink = new RecordingSink();
    const backend = await startAcpAgent({
      launch: launch('normal'),
      cwd: dirs.repo,
      sink,
      mode: 'yolo',
    });
    expect(sink.events).toEqual([
      { type: 'error', message: 'the agent does not offer the mode "yolo" (offered: ask, auto)' },
    ]);
    expect(backend.started.currentMode).toBe('ask');
    await backend.close();
  });

  it("sets the model asked for through the agent's model config option", async () => {
    const sink = new RecordingSink();
    const backend = await startAcpAgent({
      launch: launch('normal'),
      cwd: dirs.repo,
      sink,
      model: 'smart',
    });
    expect(backend.started.currentModel).toBe('smart');
    expect(sink.events).toEqual([]);
    await backend.close();
  });

  it('says so in an error event when the agent refuses the model, and still works', async () => {
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await startAcpAgent({
      launch: launch('normal'),
      cwd: dirs.repo,
      sink,
      model: 'broken',
    });
    expect(sink.events).toEqual([
      {
        type: 'error',
        message: expect.stringMatching(/^the agent refused the model "broken": .*no model broken/),
      },
    ]);
    expect(backend.started.currentModel).toBe('fast');
    expect(await backend.prompt('go')).toEqual({ stopReason: 'end_turn' });
    await backend.close();
  });

  it('refuses a second prompt while a turn runs', async () => {
    // The turn waits on its permission question until the test answers it.
    let onAsk: (answer: (a: PermissionAnswer) => void) => void = () => {};
    const asked = new Promise<(a: PermissionAnswer) => void>((r) => (onAsk = r));
    const sink = new RecordingSink();
    sink.requestPermission = () => new Promise((answer) => onAsk(answer));
    const backend = await startAcpAgent({ launch: launch('normal'), cwd: dirs.repo, sink });
    const first = backend.prompt('go');
    const answer = await asked;
    await expect(backend.prompt('again')).rejects.toThrow('a turn is already running');
    answer({ cancelled: true });
    expect(await first).toEqual({ stopReason: 'cancelled' });
    await backend.close();
  });

  it('fails the start with the exit code and stderr of an agent that dies at once', async () => {
    const start = startAcpAgent({
      launch: {
        command: process.execPath,
        args: ['-e', 'console.error("no config here"); process.exit(2)'],
        env: baseEnv(dirs.home),
      },
      cwd: dirs.repo,
      sink: new RecordingSink(),
    });
    await expect(start).rejects.toThrow(
      'the agent exited with code 2 before answering initialize; stderr: no config here',
    );
  });

  it('close kills the agent and its helper process (the whole group)', async () => {
    const backend = await startAcpAgent({
      launch: launch('normal'),
      cwd: dirs.repo,
      sink: new RecordingSink(),
    });
    const list = await pids();
    expect(list).toHaveLength(2);
    expect(anyAlive(list)).toBe(true);
    await backend.close();
    expect(anyAlive(list)).toBe(false);
  });

  it('a crash during a turn rejects the prompt with exit code 3 and the stderr text, leaving no process', async () => {
    const backend = await startAcpAgent({
      launch: launch('crash'),
      cwd: dirs.repo,
      sink: new RecordingSink(),
    });
    const list = await pids();
    await expect(backend.prompt('go')).rejects.toThrow(
      /exited with code 3 during the turn; stderr: fake agent crashed: boom/,
    );
    await backend.close();
    expect(anyAlive(list)).toBe(false);
  });

  it('an agent that never answers initialize fails the start after startTimeoutMs and is killed', async () => {
    const start = startAcpAgent({
      launch: launch('hang'),
      cwd: dirs.repo,
      sink: new RecordingSink(),
      // Time for a loaded machine to boot node and tsx: the agent writes its pids before it hangs.
      startTimeoutMs: 3_000,
    });
    await expect(start).rejects.toThrow('the agent did not answer initialize within 3 s');
    expect(anyAlive(await pids())).toBe(false);
  });

  it('a non-JSON line on stdout is skipped and the session works', async () => {
    const sink = new RecordingSink(pick('allow_once'));
    const backend = await startAcpAgent({ launch: launch('garbage'), cwd: dirs.repo, sink });
    expect(await backend.prompt('go')).toEqual({ stopReason: 'end_turn' });
    expect(sink.text()).toBe('Hello from fake.');
    expect(await readFile(path.join(dirs.repo, 'fake.txt'), 'utf8')).toBe('written by fake\n');
    await backend.close();
  });

  it('a command that does not exist fails the start with the reason', async () => {
    const start = startAcpAgent({
      launch: { command: path.join(dirs.home, 'no-such-agent'), args: [], env: baseEnv(dirs.home) },
      cwd: dirs.repo,
      sink: new RecordingSink(),
    });
    await expect(start).rejects.toThrow(/could not start: spawn .*no-such-agent ENOENT/);
  });
});

describe('probeAcp', () => {
  it('answers the agent, its version and its modes', async () => {
    expect(await probeAcp(launch('normal'), { timeoutMs: 10_000 })).toEqual({
      ok: true,
      agent: 'Fake ACP agent',
      version: '1.2.3',
      models: [
        { id: 'fast', name: 'Fast' },
        { id: 'smart', name: 'Smart' },
        { id: 'broken', name: 'Broken' },
      ],
      modes: [
        { id: 'ask', name: 'Ask' },
        { id: 'auto', name: 'Auto' },
      ],
    });
    expect(anyAlive(await pids())).toBe(false);
  });

  it('answers the failure of an agent that does not answer, and kills it', async () => {
    expect(await probeAcp(launch('hang'), { timeoutMs: 3_000 })).toEqual({
      ok: false,
      error: 'the agent did not answer initialize within 3 s',
    });
    expect(anyAlive(await pids())).toBe(false);
  });
});
