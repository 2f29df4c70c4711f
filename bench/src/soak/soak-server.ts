import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { freePort, startServerProcess, type ServerProcess } from '@boocode/testkit';
import { processTree } from '../start/proc-tree.ts';

const serverDir = fileURLToPath(new URL('../../../apps/server', import.meta.url));

/**
 * The real server from its bundle, on its own embedded PostgreSQL in a home of its own, that the
 * soak kills and starts again at the same address (the token is the home's, so clients keep it).
 * It runs with an inspector on loopback: the soak asks V8 for a full GC before reading the RSS.
 */
export class SoakServer {
  private proc!: ServerProcess;
  private inspector = '';

  private constructor(
    readonly home: string,
    private readonly env: Record<string, string>,
  ) {}

  static async start(modelUrl: string): Promise<SoakServer> {
    const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-soak-'));
    const s = new SoakServer(home, {
      BOOCODE_HOME: home,
      PORT: String(await freePort()),
      BOOCODE_PG_PORT: String(await freePort()),
      BOOTERM_TMUX_SOCKET: `soak-${process.pid}`,
      BOOTERM_SHELL: '/bin/bash --noprofile --norc',
      LLM_BASE_URL: modelUrl,
      LOG_LEVEL: 'warn',
    });
    await s.launch();
    return s;
  }

  private async launch(): Promise<void> {
    this.proc = await startServerProcess(serverDir, this.env, 'bundle', ['--inspect=127.0.0.1:0']);
    this.inspector = (await this.proc.waitForOutput(/^Debugger listening on (ws:\S+)/m))[1]!;
  }

  get base(): string {
    return this.proc.url.origin;
  }

  get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.proc.token}`, origin: this.base };
  }

  get pid(): number {
    return this.proc.child.pid!;
  }

  /** SIGKILL, as a crash or the OOM killer would, then the same start again. */
  async crashAndRestart(): Promise<void> {
    await this.proc.stop('SIGKILL');
    await this.launch();
  }

  /** Kills the booterm the server started; the server's supervisor starts another. */
  killBooterm(): number {
    const booterm = processTree(this.pid).find((p) => /apps\/booterm\/dist/.test(p.command));
    if (!booterm) throw new Error('no booterm under the server');
    process.kill(booterm.pid, 'SIGKILL');
    return booterm.pid;
  }

  /** Kills the embedded PostgreSQL's postmaster; the server starts it again. */
  killPostmaster(): number {
    const pid = Number(
      readFileSync(path.join(this.home, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  waitForOutput(re: RegExp): Promise<RegExpMatchArray> {
    return this.proc.waitForOutput(re);
  }

  rssMb(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024;
  }

  /** RSS and V8's heap in use after a full GC, asked of V8 through the inspector (MB). */
  async afterGc(): Promise<{ rssMb: number; heapMb: number }> {
    const ws = new WebSocket(this.inspector);
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    const answers = new Map<number, (v: unknown) => void>();
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; result?: unknown };
      if (m.id !== undefined) answers.get(m.id)?.(m.result);
    });
    const call = (id: number, method: string, params?: object) =>
      new Promise<unknown>((resolve) => {
        answers.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await call(1, 'HeapProfiler.collectGarbage');
    const r = (await call(2, 'Runtime.evaluate', {
      expression: 'process.memoryUsage().heapUsed',
      returnByValue: true,
    })) as { result?: { value?: number } };
    ws.close();
    return { rssMb: this.rssMb(), heapMb: (r.result?.value ?? 0) / 1e6 };
  }

  async stop(): Promise<void> {
    await this.proc.stop();
    spawnSync('tmux', ['-L', this.env.BOOTERM_TMUX_SOCKET!, 'kill-server'], { stdio: 'ignore' });
    // As root the cluster lives under /var/lib/boocode, `pg` linking to it.
    const cluster = await readlink(path.join(this.home, 'pg')).catch(() => null);
    if (cluster) await rm(cluster, { recursive: true, force: true });
    await rm(this.home, { recursive: true, force: true });
  }
}
