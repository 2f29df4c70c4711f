import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type {
  CallToolResult,
  CompatibilityCallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import {
  AppError,
  DEFAULT_BACKOFF,
  type BackoffPolicy,
  type McpServerConfig,
  type McpServerList,
  type McpServerStatus,
  notFound,
} from '@boocode/protocol';
import { editMcpFile, readMcpFile, type McpEntry } from './config-file.ts';
import { McpConnection } from './connection.ts';

export interface McpManagerOptions {
  /** `$BOOCODE_HOME/mcp.json`. */
  file: string;
  defaultTimeoutMs: number;
  log: FastifyBaseLogger;
  /** Told (at most once per tick) whenever the list or a status changed. */
  onChange: (list: McpServerList) => void;
  backoff?: BackoffPolicy;
  /** Follow edits of the file made by hand (default on). */
  watch?: boolean;
}

/** A server whose tools a chat may use now. */
export interface ReadyServer {
  name: string;
  connection: McpConnection;
}

const WATCH_DEBOUNCE_MS = 100;

/**
 * The MCP servers of this boocode: one connection per enabled server in mcp.json,
 * shared by every chat. The file is the truth: the UI's changes are written to it,
 * and edits made by hand are picked up while running. A file that cannot be read
 * leaves the servers of its last good reading running and says why.
 */
export class McpManager {
  private entries: McpEntry[] = [];
  private readonly connections = new Map<string, McpConnection>();
  private configError: string | null = null;
  private watcher: FSWatcher | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  /** Edits of the file, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private notifyPending = false;
  private revision = 0;
  /** Connections of removed or changed servers, still shutting down. */
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: McpManagerOptions) {}

  /** Reads the file and starts the servers (without waiting for them), then follows the file. */
  async start(): Promise<void> {
    await this.serial(() => this.reload());
    if (this.opts.watch !== false) this.follow();
  }

  list(): McpServerList {
    return {
      servers: this.entries.map((e) => this.statusOf(e)),
      configPath: this.opts.file,
      configError: this.configError,
      revision: this.revision,
    };
  }

  /** The servers that are ready, in file order. */
  readyServers(): ReadyServer[] {
    const ready: ReadyServer[] = [];
    for (const e of this.entries) {
      const connection = this.connections.get(e.name);
      if (connection?.ready) ready.push({ name: e.name, connection });
    }
    return ready;
  }

  /** Calls a tool on whatever connection the server has now. */
  callTool(
    server: string,
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult | CompatibilityCallToolResult> {
    const connection = this.connections.get(server);
    if (!connection) {
      return Promise.reject(new Error(`There is no MCP server named "${server}" any more.`));
    }
    return connection.callTool(tool, args, signal);
  }

  add(name: string, config: McpServerConfig): Promise<McpServerStatus> {
    return this.edit(name, (servers) => {
      if (Object.hasOwn(servers, name)) {
        throw new AppError('conflict', `There is already a server named "${name}".`);
      }
      servers[name] = config;
    });
  }

  setEnabled(name: string, enabled: boolean): Promise<McpServerStatus> {
    return this.edit(name, (servers) => {
      const entry = servers[name];
      if (!Object.hasOwn(servers, name)) throw notFound(`MCP server "${name}"`);
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        throw new AppError('conflict', `The entry of "${name}" is not an object: fix it by hand.`);
      }
      const e = entry as Record<string, unknown>;
      e.enabled = enabled;
      delete e.disabled;
    });
  }

  async remove(name: string): Promise<void> {
    await this.serial(async () => {
      await editMcpFile(this.opts.file, (servers) => {
        if (!Object.hasOwn(servers, name)) throw notFound(`MCP server "${name}"`);
        delete servers[name];
      });
      await this.reload();
    });
  }

  /** Starts a server again now, without waiting out its backoff. */
  restart(name: string): McpServerStatus {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw notFound(`MCP server "${name}"`);
    const connection = this.connections.get(name);
    if (!connection?.enabled) {
      throw new AppError('conflict', `"${name}" is not enabled or its entry is refused.`);
    }
    connection.restart();
    return this.statusOf(entry);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
    if (this.watchTimer) clearTimeout(this.watchTimer);
    await this.queue.catch(() => {});
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all([...all.map((c) => c.close()), ...this.closing]);
  }

  private async edit(
    name: string,
    change: (servers: Record<string, unknown>) => void,
  ): Promise<McpServerStatus> {
    return this.serial(async () => {
      await editMcpFile(this.opts.file, change);
      await this.reload();
      const entry = this.entries.find((e) => e.name === name);
      if (!entry) throw notFound(`MCP server "${name}"`);
      return this.statusOf(entry);
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Reads the file and brings the connections in line with it; unchanged servers go on. */
  private async reload(): Promise<void> {
    if (this.closed) return;
    const reading = await readMcpFile(this.opts.file);
    if (!reading.ok) {
      if (reading.error !== this.configError) {
        this.opts.log.error(`MCP config: ${reading.error}`);
        this.configError = reading.error;
        this.notify();
      }
      return;
    }
    let changed = this.configError !== null;
    this.configError = null;
    const next = new Map(reading.entries.map((e) => [e.name, e]));
    for (const [name, connection] of this.connections) {
      const e = next.get(name);
      if (e?.config && same(e.config, connection.config)) continue;
      this.connections.delete(name);
      const done = connection.close().finally(() => this.closing.delete(done));
      this.closing.add(done);
      changed = true;
    }
    for (const e of reading.entries) {
      if (e.error) this.opts.log.warn(`MCP server "${e.name}" refused: ${e.error}`);
      if (!e.config || this.connections.has(e.name)) continue;
      const connection = new McpConnection({
        name: e.name,
        config: e.config,
        defaultTimeoutMs: this.opts.defaultTimeoutMs,
        backoff: this.opts.backoff ?? DEFAULT_BACKOFF,
        log: this.opts.log,
        onChange: () => this.notify(),
      });
      this.connections.set(e.name, connection);
      connection.start();
      changed = true;
    }
    const before = JSON.stringify(this.entries.map((e) => [e.name, e.error]));
    this.entries = reading.entries;
    if (changed || before !== JSON.stringify(this.entries.map((e) => [e.name, e.error]))) {
      this.notify();
    }
  }

  private statusOf(entry: McpEntry): McpServerStatus {
    const connection = this.connections.get(entry.name);
    if (connection) return connection.status();
    return {
      name: entry.name,
      transport: 'stdio',
      enabled: false,
      state: 'failed',
      target: '',
      envKeys: [],
      headerNames: [],
      timeoutMs: this.opts.defaultTimeoutMs,
      serverInfo: null,
      tools: [],
      error: entry.error,
      stderr: '',
      attempts: 0,
      retryInMs: null,
    };
  }

  /** Many changes in one tick (a reload, a burst of states) go out as one list. */
  private notify(): void {
    this.revision++;
    if (this.notifyPending || this.closed) return;
    this.notifyPending = true;
    setImmediate(() => {
      this.notifyPending = false;
      if (!this.closed) this.opts.onChange(this.list());
    });
  }

  /** Follows the folder, not the file: editors replace files, and it may not exist yet. */
  private follow(): void {
    const dir = path.dirname(this.opts.file);
    const base = path.basename(this.opts.file);
    try {
      this.watcher = watch(dir, (_event, filename) => {
        if (filename !== null && filename !== base) return;
        if (this.watchTimer) clearTimeout(this.watchTimer);
        this.watchTimer = setTimeout(() => {
          this.watchTimer = null;
          void this.serial(() => this.reload()).catch((err: unknown) =>
            this.opts.log.error({ err }, 'reloading mcp.json failed'),
          );
        }, WATCH_DEBOUNCE_MS);
      });
      this.watcher.on('error', (err) => this.opts.log.warn({ err }, 'watching mcp.json failed'));
    } catch (err) {
      this.opts.log.warn({ err }, `cannot watch ${dir}: edits of mcp.json need a restart`);
    }
  }
}

const same = (a: McpServerConfig, b: McpServerConfig) => JSON.stringify(a) === JSON.stringify(b);
