import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { McpServerList, McpServerStatus } from '@boocode/protocol';
import { freePort } from '@boocode/testkit';
import { McpManager, type McpManagerOptions } from '../src/mcp/manager.ts';

const require = createRequire(import.meta.url);

/** The real MCP servers from npm, run as `node <path>`. */
export const everythingJs =
  require.resolve('@modelcontextprotocol/server-everything/dist/index.js');
export const filesystemJs =
  require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js');
/** A server whose tool list grows on demand (uses the SDK's McpServer). */
export const changingToolsJs = fileURLToPath(
  new URL('./fixtures/changing-tools.mjs', import.meta.url),
);

export const silentLog = Fastify({ logger: false }).log;

/** Every list the manager announced, and a way to wait for one. */
export class Announcements {
  readonly lists: McpServerList[] = [];
  private waiters: { pred: (l: McpServerList) => boolean; resolve: (l: McpServerList) => void }[] =
    [];

  readonly onChange = (list: McpServerList) => {
    this.lists.push(list);
    this.waiters = this.waiters.filter((w) => (w.pred(list) ? (w.resolve(list), false) : true));
  };

  /** Resolves with the first list to come (or the last one seen) that matches. */
  waitFor(pred: (l: McpServerList) => boolean): Promise<McpServerList> {
    const last = this.lists.at(-1);
    if (last && pred(last)) return Promise.resolve(last);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  /** Waits until server `name` matches. */
  async server(name: string, pred: (s: McpServerStatus) => boolean): Promise<McpServerStatus> {
    const list = await this.waitFor((l) => l.servers.some((s) => s.name === name && pred(s)));
    return list.servers.find((s) => s.name === name)!;
  }

  /** Every status server `name` went through, in order. */
  history(name: string): McpServerStatus[] {
    return this.lists.flatMap((l) => l.servers.filter((s) => s.name === name));
  }
}

export function startManager(
  file: string,
  opts: Partial<McpManagerOptions> = {},
): { manager: McpManager; seen: Announcements } {
  const seen = new Announcements();
  const manager = new McpManager({
    file,
    defaultTimeoutMs: 20_000,
    log: silentLog,
    onChange: seen.onChange,
    ...opts,
  });
  return { manager, seen };
}

/** True while a process exists and is not a zombie (reaped or not, a zombie is dead). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

export interface HttpEverything {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** server-everything over streamable HTTP on a free port, resolved once it listens. */
export async function startEverythingHttp(): Promise<HttpEverything> {
  const port = await freePort();
  const child = spawn(process.execPath, [everythingJs, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on port')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export const stdioEverything = { command: process.execPath, args: [everythingJs, 'stdio'] };

export const tmpFile = (dir: string) => path.join(dir, 'mcp.json');
