import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { FLOW_ACK_BYTES, Terminal } from '@boocode/protocol';
import { freePort, TermClient } from '@boocode/testkit';
import { startServer, type BenchEnv } from '../env.ts';

export const SHELL = '/bin/bash --noprofile --norc';

/** The real server, with the booterm it started, and what the bench needs to know of them. */
export interface TermServer {
  /** booterm's pid and tmux.conf, as the server started it. */
  booterm: { pid: number; port: number; tmuxConf: string };
  /** A new terminal, 80x24. */
  create(): Promise<Terminal>;
  /** A socket to terminal `id`, through the server or to booterm directly, acking as xterm.js. */
  open(id: string, via?: 'server' | 'booterm'): Promise<TermClient>;
  close(): Promise<void>;
}

/** Starts the server (and so booterm) on a fresh database and tmux socket of their own. */
export async function startTermServer(env: BenchEnv): Promise<TermServer> {
  const db = await env.newDatabase();
  const socket = `bench-${process.pid}`;
  const port = await freePort();
  const server = await startServer({
    DATABASE_URL: db.url,
    BOOTERM_PORT: String(port),
    BOOTERM_TMUX_SOCKET: socket,
    BOOTERM_SHELL: SHELL,
    // booterm logs its pid as it starts listening; the server passes its lines on, prefixed.
    LOG_LEVEL: 'info',
  });
  const base = server.url.origin;
  const auth = { authorization: `Bearer ${server.token}` };
  // The server runs booterm on a unix socket of its home's run folder.
  const bootermSocket = path.join(server.home, 'run', 'booterm.sock');
  const pid = await bootermPid(server.waitForOutput.bind(server), bootermSocket);
  return {
    booterm: { pid, port, tmuxConf: path.join(server.home, 'tmux.conf') },
    async create() {
      const res = await fetch(`${base}/api/term/terminals`, {
        method: 'POST',
        headers: { ...auth, origin: base, 'content-type': 'application/json' },
        body: JSON.stringify({ cols: 80, rows: 24 }),
      });
      if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
      return Terminal.parse(await res.json());
    },
    open(id, via = 'server') {
      const where = `/api/term/terminals/${id}/ws?cols=80&rows=24`;
      // Straight to booterm's socket, with the Host and Origin the server would forward.
      const url =
        via === 'server'
          ? `${base.replace('http', 'ws')}${where}`
          : `ws+unix://${bootermSocket}:${where}`;
      const headers = {
        ...auth,
        origin: base,
        ...(via === 'server' ? {} : { host: server.url.host }),
      };
      return TermClient.open(url, { headers, ackBytes: FLOW_ACK_BYTES });
    },
    async close() {
      await server.stop();
      await killTmux(socket);
      await db.drop();
    },
  };
}

/**
 * booterm's pid, from its "listening" log line on `socket` as the server passes it on
 * (`[booterm] {...,"pid":N,...}`).
 */
async function bootermPid(
  waitForOutput: (re: RegExp) => Promise<RegExpMatchArray>,
  socket: string,
): Promise<number> {
  const at = `Server listening at ${socket}"`.replace(/[.:/]/g, '\\$&');
  const m = await waitForOutput(new RegExp(`\\[booterm\\] (\\{[^\\n]*"msg":"${at}[^\\n]*\\})`));
  const line: unknown = JSON.parse(m[1]!);
  const pid = (line as { pid?: unknown }).pid;
  if (typeof pid !== 'number') throw new Error(`booterm's log line has no pid: ${m[1]}`);
  return pid;
}

/** Ends tmux server `socket` and removes its socket file. */
export async function killTmux(socket: string): Promise<void> {
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    // not running
  }
  await rm(path.join('/tmp', `tmux-${process.getuid?.()}`, socket), { force: true });
}
