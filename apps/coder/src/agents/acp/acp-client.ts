import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  Client,
  ReadTextFileRequest,
  RequestPermissionRequest,
  RequestPermissionResponse,
  WriteTextFileRequest,
} from '@agentclientprotocol/sdk';
import { RequestError } from '@agentclientprotocol/sdk';
import { errnoCode, type PathGuard, type ResolvedPath } from '@boocode/files';
import type { AgentSink } from '../backend.ts';
import type { AcpEvents } from './acp-events.ts';
import type { Terminals } from './terminals.ts';

export interface ClientDeps {
  sink: AgentSink;
  guard: PathGuard;
  terminals: Terminals;
  events: AcpEvents;
}

/**
 * What boocode answers when an agent calls the client: updates go to `onUpdate`, permission
 * questions to the sink, file methods through the worktree's path guard (writes land in the
 * worktree; the session queues them as pending changes after the turn), terminals in the
 * worktree. Unknown extension requests get `{}`: qwen waits for an answer to each.
 */
export function acpClient(deps: ClientDeps): Client {
  const { sink, guard, terminals, events } = deps;
  return {
    sessionUpdate: (params) => events.onUpdate(params),
    requestPermission: (params) => {
      events.onPermissionCall(params.toolCall);
      return askPermission(sink, params);
    },
    readTextFile: async (params) => ({ content: await readText(guard, params) }),
    writeTextFile: async (params) => {
      await writeText(guard, params);
      return {};
    },
    createTerminal: async (params) => terminals.create(params),
    terminalOutput: async (params) => terminals.output(params.terminalId),
    waitForTerminalExit: (params) => terminals.waitForExit(params.terminalId),
    killTerminal: async (params) => {
      await terminals.kill(params.terminalId);
      return {};
    },
    releaseTerminal: async (params) => {
      await terminals.release(params.terminalId);
      return {};
    },
    extMethod: () => ({}),
    extNotification: () => {},
  };
}

async function askPermission(
  sink: AgentSink,
  params: RequestPermissionRequest,
): Promise<RequestPermissionResponse> {
  const call = params.toolCall;
  const answer = await sink.requestPermission({
    toolCallId: call.toolCallId ?? null,
    title: call.title || call.name || 'Allow the agent to use a tool?',
    options: params.options.map((o) => ({ id: o.optionId, name: o.name, kind: o.kind })),
  });
  if ('cancelled' in answer) return { outcome: { outcome: 'cancelled' } };
  return { outcome: { outcome: 'selected', optionId: answer.optionId } };
}

async function resolveInside(guard: PathGuard, input: string): Promise<ResolvedPath> {
  const resolved = await guard.resolve(input);
  if (!resolved.ok) throw RequestError.invalidParams({ path: input }, resolved.message);
  return resolved;
}

/** The file's text, or the `limit` lines from 1-based `line`, as ACP's fs/read_text_file asks. */
async function readText(guard: PathGuard, params: ReadTextFileRequest): Promise<string> {
  const { abs } = await resolveInside(guard, params.path);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') throw RequestError.resourceNotFound(params.path);
    throw RequestError.internalError(undefined, `cannot read ${params.path}: ${String(err)}`);
  }
  if (params.line == null && params.limit == null) return text;
  const lines = text.split('\n');
  const start = Math.max(0, (params.line ?? 1) - 1);
  const end = params.limit == null ? lines.length : start + Math.max(0, params.limit);
  return lines.slice(start, end).join('\n');
}

async function writeText(guard: PathGuard, params: WriteTextFileRequest): Promise<void> {
  const { abs, rel } = await resolveInside(guard, params.path);
  if (rel === '.git' || rel.startsWith('.git/')) {
    throw RequestError.invalidParams({ path: params.path }, 'the .git folder is not writable');
  }
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, params.content);
}
