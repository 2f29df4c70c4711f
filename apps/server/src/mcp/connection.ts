import type { FastifyBaseLogger } from 'fastify';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type {
  CallToolResult,
  CompatibilityCallToolResult,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import {
  backoffDelay,
  type BackoffPolicy,
  type McpServerConfig,
  type McpServerState,
  type McpServerStatus,
} from '@boocode/protocol';
import { loadMcpSdk } from './sdk.ts';
import { describeStartFailure, isStdio, openTransport } from './transport.ts';

/** A server that stayed up this long counts as healthy again: its next failure waits 1 s. */
const STABLE_MS = 60_000;
const STDERR_TAIL_CHARS = 4000;
const MAX_TOOL_PAGES = 50;
const MAX_DESCRIPTION_CHARS = 300;

export interface ConnectionOptions {
  name: string;
  config: McpServerConfig;
  /** The per-request timeout when the entry sets none. */
  defaultTimeoutMs: number;
  /** Waits between failed starts (tests make them short). */
  backoff: BackoffPolicy;
  log: FastifyBaseLogger;
  /** Told after every change of the status. */
  onChange: () => void;
}

/**
 * One MCP server: its client, its status, its cached tool list, and its restarts. Every
 * start gets a new generation; events of an older one (a client being torn down) are ignored.
 */
export class McpConnection {
  readonly name: string;
  readonly config: McpServerConfig;
  readonly timeoutMs: number;
  /** A start may take the longer of the two: a short call timeout must not stop a slow start. */
  private readonly startTimeoutMs: number;
  private state: McpServerState = 'connecting';
  private client: Client | null = null;
  private transport: Transport | null = null;
  private tools: Tool[] = [];
  private serverInfo: { name: string; version: string } | null = null;
  private error: string | null = null;
  private stderr = '';
  private attempts = 0;
  private retryInMs: number | null = null;
  private readyAt = 0;
  /** The tool list changed while the start was still under way. */
  private staleTools = false;
  /** A failure is being handled: the client's own close must not count as a second one. */
  private failing = false;
  private timer: NodeJS.Timeout | null = null;
  private generation = 0;
  private closed = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.name = opts.name;
    this.config = opts.config;
    this.timeoutMs = opts.config.timeoutMs ?? opts.defaultTimeoutMs;
    this.startTimeoutMs = Math.max(this.timeoutMs, opts.defaultTimeoutMs);
  }

  get enabled(): boolean {
    return this.config.enabled !== false;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** The tools as last listed (refreshed when the server says they changed). */
  get toolList(): readonly Tool[] {
    return this.tools;
  }

  start(): void {
    if (!this.enabled) {
      this.state = 'disabled';
      this.opts.onChange();
      return;
    }
    void this.connect();
  }

  /** Tries again now, forgetting the backoff (the user asked). */
  restart(): void {
    if (this.closed || !this.enabled) return;
    this.attempts = 0;
    void this.connect();
  }

  status(): McpServerStatus {
    const c = this.config;
    return {
      name: this.name,
      transport: isStdio(c) ? 'stdio' : 'http',
      enabled: this.enabled,
      state: this.state,
      target: isStdio(c) ? [c.command, ...(c.args ?? [])].map(shellWord).join(' ') : c.url,
      envKeys: isStdio(c) ? Object.keys(c.env ?? {}) : [],
      headerNames: isStdio(c) ? [] : Object.keys(c.headers ?? {}),
      timeoutMs: this.timeoutMs,
      serverInfo: this.serverInfo,
      tools: this.tools.map((t) => ({
        name: t.name,
        description: cut(t.description ?? t.title ?? '', MAX_DESCRIPTION_CHARS),
      })),
      error: this.error,
      stderr: this.stderr,
      attempts: this.attempts,
      retryInMs: this.state === 'failed' ? this.retryInMs : null,
    };
  }

  /** Calls a tool; rejects on timeout (McpError RequestTimeout), abort, or a lost server. */
  async callTool(
    tool: string,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult | CompatibilityCallToolResult> {
    const client = this.client;
    if (!client || this.state !== 'ready') {
      throw new Error(`The MCP server "${this.name}" is not ready.`);
    }
    return client.callTool({ name: tool, arguments: args }, undefined, {
      signal,
      timeout: this.timeoutMs,
    });
  }

  /** Stops it for good: the client closed, a stdio server's process group killed. */
  async close(): Promise<void> {
    this.closed = true;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.teardown(true);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A new generation first: the old client's close must not count as a failure.
    const gen = ++this.generation;
    this.state = 'connecting';
    this.attempts++;
    // The last failure stays shown while the next try runs.
    this.retryInMs = null;
    this.serverInfo = null;
    this.tools = [];
    this.stderr = '';
    this.staleTools = false;
    this.opts.onChange();
    await this.teardown(false);
    if (gen !== this.generation) return;

    const sdk = await loadMcpSdk();
    if (gen !== this.generation) return;
    const client = new sdk.Client(
      { name: 'boocode', version: '0.0.0' },
      {
        capabilities: {},
        listChanged: {
          tools: { autoRefresh: false, debounceMs: 50, onChanged: () => void this.refresh(gen) },
        },
      },
    );
    client.onclose = () => this.lost(gen);
    client.onerror = (err) => this.opts.log.debug({ err, server: this.name }, 'mcp transport');
    try {
      const transport = openTransport(sdk, this.config, (text) => {
        if (gen !== this.generation) return;
        this.stderr = (this.stderr + text).slice(-STDERR_TAIL_CHARS);
      });
      this.client = client;
      this.transport = transport;
      await client.connect(transport, { timeout: this.startTimeoutMs });
      if (gen !== this.generation) return;
      const tools = await this.listTools(client, this.startTimeoutMs);
      if (gen !== this.generation) return;
      this.tools = tools;
      const info = client.getServerVersion();
      this.serverInfo = info ? { name: info.name, version: info.version } : null;
      this.state = 'ready';
      this.error = null;
      this.readyAt = Date.now();
      this.opts.onChange();
      if (this.staleTools) void this.refresh(gen);
    } catch (err) {
      if (gen !== this.generation) return;
      await this.fail(gen, describeStartFailure(sdk, err, this.config, this.startTimeoutMs));
    }
  }

  private async listTools(client: Client, timeout = this.timeoutMs): Promise<Tool[]> {
    if (!client.getServerCapabilities()?.tools) return [];
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const res = await client.listTools(cursor ? { cursor } : {}, { timeout });
      tools.push(...res.tools);
      cursor = res.nextCursor;
      if (!cursor) break;
    }
    return tools;
  }

  /** `notifications/tools/list_changed`: list them again. */
  private async refresh(gen: number): Promise<void> {
    const client = this.client;
    if (gen !== this.generation || !client) return;
    if (this.state === 'connecting') {
      this.staleTools = true;
      return;
    }
    this.staleTools = false;
    if (this.state !== 'ready') return;
    try {
      const tools = await this.listTools(client);
      if (gen !== this.generation) return;
      this.tools = tools;
      this.opts.onChange();
    } catch (err) {
      this.opts.log.warn({ err, server: this.name }, 'refreshing MCP tools failed');
    }
  }

  /** The connection went away while ready (a start that fails is handled by connect). */
  private lost(gen: number): void {
    if (gen !== this.generation || this.state !== 'ready' || this.failing) return;
    if (Date.now() - this.readyAt >= STABLE_MS) this.attempts = 0;
    void this.fail(
      gen,
      isStdio(this.config) ? 'The server process exited.' : 'The connection was closed.',
    );
  }

  /** Tears the client down (the process group killed), then says failed and plans a retry. */
  private async fail(gen: number, message: string): Promise<void> {
    this.failing = true;
    try {
      // A child that just died may still have stderr in the pipe.
      await new Promise((r) => setImmediate(r));
      await this.teardown(false);
    } finally {
      this.failing = false;
    }
    if (gen !== this.generation) return;
    this.state = 'failed';
    this.error = message;
    // attempts counts the starts since the last good run: the nth failure waits 2^(n-1) times the first.
    const wait = backoffDelay(this.opts.backoff, this.attempts);
    this.retryInMs = wait;
    this.timer = setTimeout(() => void this.connect(), wait);
    this.timer.unref();
    this.opts.log.warn({ server: this.name, retryInMs: wait }, `MCP server failed: ${message}`);
    this.opts.onChange();
  }

  private async teardown(polite: boolean): Promise<void> {
    const client = this.client;
    const transport = this.transport;
    this.client = null;
    this.transport = null;
    if (!client) return;
    // An HTTP server is told the session ends (a stdio one: its process group goes below).
    if (polite && transport && !isStdio(this.config)) {
      await (transport as StreamableHTTPClientTransport).terminateSession().catch(() => {});
    }
    // Closes the transport too; a stdio one takes its process group with it.
    await client.close().catch(() => {});
    await transport?.close().catch(() => {});
  }
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A word of a command line as a shell would need it, for showing only. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`;
}
