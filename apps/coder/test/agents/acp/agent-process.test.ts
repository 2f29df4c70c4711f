import { describe, expect, it } from 'vitest';
import { AgentProcess, STDERR_TAIL_BYTES } from '../../../src/agents/acp/agent-process.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

describe('AgentProcess', () => {
  it('keeps only the last bytes of a long stderr', async () => {
    const proc = new AgentProcess(
      {
        command: process.execPath,
        args: [
          '-e',
          'for (let i = 0; i < 2000; i++) console.error("line " + i); process.exitCode = 1',
        ],
        env,
      },
      process.cwd(),
    );
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    const tail = proc.stderrTail();
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(STDERR_TAIL_BYTES);
    expect(tail.endsWith('line 1999')).toBe(true);
    expect(tail).not.toContain('line 0\n');
    expect(proc.describeExit()).toBe('exited with code 1');
  });

  it('kill ends an agent that ignores SIGTERM, with SIGKILL after the grace', async () => {
    const proc = new AgentProcess(
      {
        command: process.execPath,
        args: [
          '-e',
          'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")',
        ],
        env,
      },
      process.cwd(),
    );
    await new Promise((r) => proc.child.stdout.once('data', r));
    await proc.kill();
    expect(proc.exitInfo).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
