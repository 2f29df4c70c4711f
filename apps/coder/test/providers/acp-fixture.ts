import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { AgentLaunch } from '../../src/agents/backend.ts';
import type { ProbeAgent, ProbeResult } from '../../src/providers/probes.ts';

/**
 * Until the ACP backend's probeAcp is wired in (the lead does), the registry's tier 2 is driven
 * here by a minimal ACP client: `initialize`, then `session/new`, over the child's stdio, with
 * the timeout the registry gives. It talks to real processes: the small agent below, a missing
 * binary, one that exits at once, one that never answers.
 */
export const handshake: ProbeAgent = (launch: AgentLaunch, { timeoutMs }) =>
  new Promise<ProbeResult>((resolve) => {
    const child = spawn(launch.command, launch.args, {
      env: launch.env,
      stdio: ['pipe', 'pipe', 'ignore'],
      detached: true,
    });
    const finish = (r: ProbeResult) => {
      clearTimeout(timer);
      if (child.exitCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      resolve(r);
    };
    const timer = setTimeout(
      () => finish({ ok: false, error: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    child.on('error', (err) => finish({ ok: false, error: err.message }));
    child.on('exit', (code) => finish({ ok: false, error: `exited with code ${code}` }));
    const send = (id: number, method: string, params: unknown) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    let agent = { name: '', version: '' };
    createInterface({ input: child.stdout }).on('line', (line) => {
      let msg: { id: number; result?: Record<string, unknown>; error?: unknown };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return; // not a protocol line
      }
      if (!msg.result) {
        // An error answer (a real agent refusing this bare client): a failed probe.
        finish({ ok: false, error: JSON.stringify(msg.error ?? 'no result') });
        return;
      }
      if (msg.id === 1) {
        agent = (msg.result.agentInfo as typeof agent | undefined) ?? agent;
        send(2, 'session/new', { cwd: '/', mcpServers: [] });
        return;
      }
      const { models, modes } = msg.result as unknown as {
        models?: { availableModels: { modelId: string; name: string }[] };
        modes?: { availableModes: { id: string; name: string }[] };
      };
      finish({
        ok: true,
        agent: agent.name,
        version: agent.version,
        models: (models?.availableModels ?? []).map((m) => ({ id: m.modelId, name: m.name })),
        modes: modes?.availableModes ?? [],
      });
    });
    child.stdin.on('error', () => undefined);
    send(1, 'initialize', { protocolVersion: 1, clientCapabilities: {} });
  });

const AGENT = `#!/usr/bin/env node
if (process.argv.includes('--version')) { console.log('tiny-agent 0.4.2'); process.exit(0); }
const answer = (id, result) => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id, result }) + '\\n');
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  const m = JSON.parse(line);
  if (m.method === 'initialize') answer(m.id, { protocolVersion: 1, agentInfo: { name: 'tiny', version: '0.4.2' } });
  if (m.method === 'session/new') answer(m.id, {
    sessionId: 's1',
    models: { currentModelId: 'small', availableModels: [{ modelId: 'small', name: 'Small' }, { modelId: 'big', name: 'Big' }] },
    modes: { currentModeId: 'default', availableModes: [{ id: 'default', name: 'Default' }] },
  });
});
`;

/** Executable scripts in `dir`: an agent that answers, one that exits, one that stays silent. */
export async function writeAgents(dir: string) {
  const script = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    await chmod(file, 0o755);
    return file;
  };
  return {
    tiny: await script('tiny-agent.cjs', AGENT),
    exits: await script('exits.sh', '#!/bin/sh\necho "exits 1.0.0"\nexit 3\n'),
    silent: await script(
      'silent.sh',
      '#!/bin/sh\n[ "$1" = --version ] && { echo "silent 2.0.0"; exit 0; }\nexec sleep 600\n',
    ),
  };
}
