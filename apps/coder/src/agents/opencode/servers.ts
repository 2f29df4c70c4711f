import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2';
import type { AgentLaunch } from '../backend.ts';
import { AgentProcess } from '../acp/agent-process.ts';

/** How a server says it is up: `opencode server listening on http://127.0.0.1:PORT`. */
const LISTENING = /opencode server listening on (https?:\/\/\S+)/;

export interface ServerPoolOptions {
  /** The URL the client uses for a server's URL (a test puts a proxy in between). */
  clientUrl?: (serverUrl: string) => string | Promise<string>;
}

/** One running `opencode serve`, its client (basic auth with its own password) and its fate. */
export class OpencodeServer {
  readonly client: OpencodeClient;
  /** Why the server is gone, once it exited without being stopped; null while it runs. */
  private deathReason: string | null = null;
  private stopping = false;
  /** Resolves with the reason when the server exits on its own. */
  readonly died: Promise<string>;

  constructor(
    readonly proc: AgentProcess,
    readonly url: string,
    password: string,
  ) {
    const auth = Buffer.from(`opencode:${password}`).toString('base64');
    this.client = createOpencodeClient({
      baseUrl: url,
      headers: { authorization: `Basic ${auth}` },
    });
    this.died = proc.exited.then(() => {
      this.deathReason = proc.withStderr(`opencode serve ${proc.describeExit()}`);
      return this.deathReason;
    });
  }

  get dead(): string | null {
    return this.stopping ? null : this.deathReason;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.proc.kill();
  }
}

interface Entry {
  server: Promise<OpencodeServer>;
  refs: number;
}

/**
 * `opencode serve` processes, one per distinct launch (command, args, env), started on first use
 * and stopped when the last session using it releases it. Each listens on 127.0.0.1 with a
 * random `OPENCODE_SERVER_PASSWORD`, so no other local user can drive it.
 */
export class ServerPool {
  private readonly entries = new Map<string, Entry>();
  private readonly all = new Set<Promise<OpencodeServer>>();

  constructor(private readonly opts: ServerPoolOptions) {}

  /** The server for `launch`, started if needed; `release` it when done. */
  async acquire(
    launch: AgentLaunch,
    start: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<OpencodeServer> {
    const key = keyOf(launch);
    let entry = this.entries.get(key);
    if (!entry) {
      const server = this.start(launch, start.timeoutMs, start.signal);
      const created: Entry = { server, refs: 0 };
      entry = created;
      this.entries.set(key, created);
      this.all.add(server);
      // A failed start, or a server that died, is forgotten: the next acquire starts anew.
      server.then(
        (s) =>
          void s.died.then(() => {
            this.forget(key, created);
            this.all.delete(server);
          }),
        () => {
          this.forget(key, created);
          this.all.delete(server);
        },
      );
    }
    entry.refs++;
    try {
      return await entry.server;
    } catch (err) {
      entry.refs--;
      throw err;
    }
  }

  /** One session is done with the server of `launch`: the last one stops it. */
  async release(launch: AgentLaunch, server: OpencodeServer): Promise<void> {
    const key = keyOf(launch);
    const entry = this.entries.get(key);
    if (entry && (await entry.server) === server) {
      if (--entry.refs > 0) return;
      this.entries.delete(key);
      this.all.delete(entry.server);
    }
    await server.stop();
  }

  /** Stops every server, used or not. */
  async dispose(): Promise<void> {
    this.entries.clear();
    const servers = [...this.all];
    this.all.clear();
    await Promise.all(servers.map((s) => s.then((x) => x.stop()).catch(() => {})));
  }

  /** The process ids of the servers started and not stopped. */
  async pids(): Promise<number[]> {
    const servers = await Promise.allSettled([...this.all]);
    return servers.flatMap((s) =>
      s.status === 'fulfilled' && s.value.proc.exitInfo === null && s.value.proc.pid
        ? [s.value.proc.pid]
        : [],
    );
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private async start(
    launch: AgentLaunch,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<OpencodeServer> {
    const password = randomBytes(24).toString('base64url');
    const port = await freePort();
    // The registry's opencode entry speaks ACP (`opencode acp`): serve is the other subcommand.
    const args = [
      ...launch.args.filter((a) => a !== 'acp'),
      ...['serve', '--hostname', '127.0.0.1', '--port', String(port)],
    ];
    const env = { ...launch.env, OPENCODE_SERVER_PASSWORD: password };
    const proc = new AgentProcess({ ...launch, args, env }, launch.env.HOME ?? os.tmpdir());
    try {
      const url = await listening(proc, timeoutMs, signal);
      const clientUrl = this.opts.clientUrl ? await this.opts.clientUrl(url) : url;
      return new OpencodeServer(proc, clientUrl, password);
    } catch (err) {
      await proc.kill();
      throw err;
    }
  }
}

/** Resolves with the URL the server prints once it listens. */
function listening(proc: AgentProcess, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () =>
        done(
          new Error(proc.withStderr(`opencode serve did not listen within ${timeoutMs / 1000} s`)),
        ),
      timeoutMs,
    );
    const onAbort = () => done(new Error('the start was cancelled'));
    const onData = (chunk: Buffer) => {
      out = (out + chunk.toString('utf8')).slice(-4096);
      const m = LISTENING.exec(out);
      if (m?.[1]) done(null, m[1]);
    };
    function done(err: Error | null, url?: string) {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      proc.child.stdout.off('data', onData);
      // Whatever it prints later is drained, so a full pipe never blocks it.
      proc.child.stdout.resume();
      if (err) reject(err);
      else resolve(url!);
    }
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    proc.child.stdout.on('data', onData);
    void proc.exited.then(() =>
      done(new Error(proc.withStderr(`opencode serve ${proc.describeExit()} before listening`))),
    );
  });
}

/** opencode's own `--port 0` takes 4096 when it is free: a port the OS picked is asked for. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function keyOf(launch: AgentLaunch): string {
  const env = Object.entries(launch.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([launch.command, launch.args, env]);
}
