/**
 * A small ACP agent over stdio, for the failure paths no real agent shows on demand. Run with
 * `node --import tsx fake-acp-agent.ts` (see `fakeAcpAgent` in fake-acp.ts). Its behaviour is
 * chosen by FAKE_ACP_MODE:
 *
 * - `normal`: each prompt streams three chunks, announces a tool call writing `fake.txt`, asks
 *   permission for it and, when an allow option is picked, writes it through fs/write_text_file
 *   (the client's), then ends the turn; a rejected or cancelled question ends it without writing.
 * - `crash`: answers the handshake, then on a prompt writes "fake agent crashed: boom" to stderr
 *   and exits with code 3.
 * - `hang`: never answers initialize (it reads stdin and says nothing).
 * - `garbage`: prints a line that is not JSON on stdout first, then behaves as `normal`. The
 *   client's stream answers it with a parse error and goes on: garbage costs nothing.
 *
 * Its session offers the modes `ask` (current) and `auto`, and the models `fast` (current),
 * `smart` and `broken` as a config option of category "model"; setting `broken` (or anything not
 * offered) fails with "no model <value>".
 *
 * On start it spawns a `sleep` child in its own process group (a native helper, as wrapped agents
 * have) and, when FAKE_ACP_PIDFILE is set, writes "<own pid> <helper pid>" there, so a test can
 * check that closing killed the whole group.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import {
  AgentSideConnection,
  ndJsonStream,
  PROTOCOL_VERSION,
  RequestError,
  type Agent,
} from '@agentclientprotocol/sdk';

const mode = process.env.FAKE_ACP_MODE ?? 'normal';
const helper = spawn('sleep', ['1000'], { stdio: 'ignore' });
if (process.env.FAKE_ACP_PIDFILE) {
  writeFileSync(process.env.FAKE_ACP_PIDFILE, `${process.pid} ${helper.pid ?? ''}`);
}
if (mode === 'garbage') process.stdout.write('this is not json {\n');

const sessions = new Map<string, string>();

const agent = (conn: AgentSideConnection): Agent => ({
  initialize: async () => {
    if (mode === 'hang') return new Promise(() => {});
    return {
      protocolVersion: PROTOCOL_VERSION,
      agentCapabilities: { loadSession: false },
      agentInfo: { name: 'fake-acp-agent', title: 'Fake ACP agent', version: '1.2.3' },
    };
  },
  newSession: (params) => {
    const sessionId = `fake-${sessions.size + 1}`;
    sessions.set(sessionId, params.cwd);
    return {
      sessionId,
      // Models the newer way: a config option of category "model".
      configOptions: [
        {
          id: 'model',
          name: 'Model',
          category: 'model',
          type: 'select',
          currentValue: 'fast',
          options: [
            { value: 'fast', name: 'Fast' },
            { value: 'smart', name: 'Smart' },
            { value: 'broken', name: 'Broken' },
          ],
        },
      ],
      modes: {
        currentModeId: 'ask',
        availableModes: [
          { id: 'ask', name: 'Ask' },
          { id: 'auto', name: 'Auto' },
        ],
      },
    };
  },
  setSessionMode: () => ({}),
  setSessionConfigOption: (params) => {
    if (params.configId !== 'model' || !['fast', 'smart'].includes(String(params.value)))
      throw RequestError.invalidParams(params, `no model ${String(params.value)}`);
    return { configOptions: [] };
  },
  authenticate: () => ({}),
  cancel: () => {},
  prompt: async ({ sessionId }) => {
    if (mode === 'crash') {
      process.stderr.write('fake agent crashed: boom\n');
      process.exit(3);
    }
    const update = (u: Parameters<AgentSideConnection['sessionUpdate']>[0]['update']) =>
      conn.sessionUpdate({ sessionId, update: u });
    for (const text of ['Hello ', 'from ', 'fake.'])
      await update({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text } });
    const file = path.join(sessions.get(sessionId) ?? '.', 'fake.txt');
    const call = { toolCallId: 'write-1', title: 'Write fake.txt', kind: 'edit' as const };
    await update({ sessionUpdate: 'tool_call', ...call, status: 'pending', rawInput: { file } });
    const answer = await conn.requestPermission({
      sessionId,
      toolCall: call,
      options: [
        { optionId: 'yes', name: 'Allow', kind: 'allow_once' },
        { optionId: 'no', name: 'Reject', kind: 'reject_once' },
      ],
    });
    const allowed = answer.outcome.outcome === 'selected' && answer.outcome.optionId === 'yes';
    if (allowed) await conn.writeTextFile({ sessionId, path: file, content: 'written by fake\n' });
    await update({
      sessionUpdate: 'tool_call_update',
      toolCallId: call.toolCallId,
      status: allowed ? 'completed' : 'failed',
    });
    return { stopReason: answer.outcome.outcome === 'cancelled' ? 'cancelled' : 'end_turn' };
  },
});

new AgentSideConnection(
  agent,
  ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  ),
);
