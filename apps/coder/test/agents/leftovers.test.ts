import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../src/agents/acp/agent-process.ts';
import { endLeftoverGroups } from '../../src/agents/leftovers.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempFile(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), 'coder-leftovers-'));
  dirs.push(d);
  return path.join(d, 'run', 'agent-groups');
}

/**
 * A coder-like process: writes its agent groups down in `file`, starts an agent that, like
 * `opencode serve`, does not end with its parent's pipes, prints the agent's pid and waits.
 */
function coderWithAgent(file: string): Promise<{ pid: number; coder: ReturnType<typeof spawn> }> {
  const src = (p: string) =>
    JSON.stringify(new URL(`../../src/agents/${p}`, import.meta.url).pathname);
  const script = `
    import { recordAgentGroups } from ${src('leftovers.ts')};
    import { AgentProcess } from ${src('acp/agent-process.ts')};
    recordAgentGroups(${JSON.stringify(file)});
    const agent = new AgentProcess({ command: 'sh', args: ['-c', 'sleep 300 & sleep 300'], env: process.env }, '/');
    process.stdout.write(agent.pid + '\\n');
    setInterval(() => {}, 1000);`;
  const coder = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    coder.stdout!.once('data', (d: Buffer) => resolve({ pid: Number(String(d).trim()), coder }));
    coder.once('exit', (code) => reject(new Error(`the coder exited (${code})`)));
  });
}

describe('agent process groups a killed coder left', () => {
  it('are written down while they run, and ended by the next coder', async () => {
    const file = await tempFile();
    const { pid, coder } = await coderWithAgent(file);
    expect(await readFile(file, 'utf8')).toMatch(new RegExp(`^${pid} \\d+\\n$`));
    const died = new Promise((r) => coder.once('exit', r));
    coder.kill('SIGKILL');
    await died;
    expect(groupAlive(pid)).toBe(true);

    expect(endLeftoverGroups(file)).toBe(1);
    for (let i = 0; i < 200 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(groupAlive(pid)).toBe(false);
  });

  it('leave alone a process that got a written-down pid since (its start time differs)', async () => {
    const file = await tempFile();
    const other = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    try {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, `${other.pid} 1\n`);
      expect(endLeftoverGroups(file)).toBe(0);
      expect(groupAlive(other.pid!)).toBe(true);
    } finally {
      process.kill(-other.pid!, 'SIGKILL');
    }
  });
});
