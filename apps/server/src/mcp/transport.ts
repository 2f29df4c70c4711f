import { existsSync } from 'node:fs';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '@boocode/protocol';
import type { McpSdk } from './sdk.ts';

/**
 * Runs a stdio server as the leader of its own process group (and session), so that
 * shutdown reaches whatever it spawned too. `setsid` execs in place when its caller is not
 * a group leader (a child of ours never is), so the pid we see is the server's own.
 */
const SETSID = ['/usr/bin/setsid', '/bin/setsid'].find((p) => existsSync(p)) ?? null;

/**
 * The SDK's stdio transport, with the server leading its own process group: closing it
 * (ours, or the SDK's own after a failed start) kills the whole group, not just the child.
 * Made once the SDK is loaded (see sdk.ts).
 */
const groupStdio = (Base: McpSdk['StdioClientTransport']) =>
  class GroupStdioTransport extends Base {
    private group: number | null = null;

    override async start(): Promise<void> {
      await super.start();
      if (SETSID) this.group = this.pid;
    }

    private closing: Promise<void> | null = null;

    /** Every caller waits for the one close to end (the SDK closes on a failed start too). */
    override close(): Promise<void> {
      this.closing ??= (async () => {
        const group = this.group;
        if (group) killGroup(group, 'SIGTERM');
        await super.close();
        if (group) killGroup(group, 'SIGKILL');
      })();
      return this.closing;
    }
  };
let GroupStdio: ReturnType<typeof groupStdio> | null = null;

export const isStdio = (c: McpServerConfig): c is Extract<McpServerConfig, { command: string }> =>
  'command' in c;

/**
 * The transport of one start of a server: streamable HTTP, or stdio with the server leading
 * its own process group. `onStderr` gets what a stdio server writes on stderr.
 */
export function openTransport(
  sdk: McpSdk,
  c: McpServerConfig,
  onStderr: (text: string) => void,
): Transport {
  if (!isStdio(c)) {
    return new sdk.StreamableHTTPClientTransport(new URL(c.url), {
      requestInit: { headers: c.headers ?? {} },
    });
  }
  const args = c.args ?? [];
  GroupStdio ??= groupStdio(sdk.StdioClientTransport);
  const transport = new GroupStdio({
    command: SETSID ?? c.command,
    args: SETSID ? [c.command, ...args] : args,
    env: c.env,
    cwd: c.cwd,
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
  return transport;
}

/** What the user is shown when a start failed. */
export function describeStartFailure(
  { McpError, ErrorCode }: McpSdk,
  err: unknown,
  config: McpServerConfig,
  startTimeoutMs: number,
): string {
  const stdio = isStdio(config);
  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) {
      return `No answer within ${seconds(startTimeoutMs)} (it did not finish starting).`;
    }
    if (err.code === ErrorCode.ConnectionClosed) {
      return stdio ? 'The server process exited before it was ready.' : 'The connection closed.';
    }
  }
  const e = err as NodeJS.ErrnoException & { cause?: { code?: string; message?: string } };
  if (stdio && e.code === 'ENOENT') {
    return `Command not found: ${(config as { command: string }).command}`;
  }
  const message = e instanceof Error ? e.message : String(err);
  const cause = e.cause?.code ?? e.cause?.message;
  return cause && !message.includes(cause) ? `${message} (${cause})` : message;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);
