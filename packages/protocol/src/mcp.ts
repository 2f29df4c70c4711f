import { z } from 'zod';

/** A server's name: the key in `mcpServers`, and the prefix of its tools (`name__tool`). */
export const McpServerName = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(40, 'name must be at most 40 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'name may hold letters, digits, ".", "_" and "-" only');

const StringMap = z.record(z.string(), z.string());

/** Fields every server may have, whatever its transport. */
const Common = {
  /** Off: kept in the config, not started. Default on. */
  enabled: z.boolean().optional(),
  /** How long one request (a tool call, the start) may take, in ms. */
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
};

/** A server started as a child process, spoken to over its stdin/stdout. */
export const McpStdioConfig = z.object({
  type: z.literal('stdio').optional(),
  command: z.string().trim().min(1, 'command must not be empty'),
  args: z.array(z.string()).optional(),
  env: StringMap.optional(),
  cwd: z.string().min(1).optional(),
  ...Common,
});
export type McpStdioConfig = z.infer<typeof McpStdioConfig>;

/** A server reached over streamable HTTP. */
export const McpHttpConfig = z.object({
  type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
  headers: StringMap.optional(),
  ...Common,
});
export type McpHttpConfig = z.infer<typeof McpHttpConfig>;

/** One entry of `mcpServers`: `command` (stdio) or `url` (streamable HTTP). */
export const McpServerConfig = z.union([McpStdioConfig, McpHttpConfig]);
export type McpServerConfig = z.infer<typeof McpServerConfig>;

/**
 * `$BOOCODE_HOME/mcp.json`, the shape other MCP clients use. Entries are read one by one
 * (see the server's loader), so one bad entry does not stop the others.
 */
export const McpFile = z.object({
  mcpServers: z.record(z.string(), z.unknown()).default({}),
});

export const McpServerState = z.enum(['connecting', 'ready', 'failed', 'disabled']);
export type McpServerState = z.infer<typeof McpServerState>;

export const McpToolInfo = z.object({ name: z.string(), description: z.string() });

/** A server as the settings show it. Env values and header values are never sent. */
export const McpServerStatus = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http']),
  enabled: z.boolean(),
  state: McpServerState,
  /** What it runs: the command line, or the URL. */
  target: z.string(),
  envKeys: z.array(z.string()),
  headerNames: z.array(z.string()),
  timeoutMs: z.number().int().positive(),
  /** From the server's `initialize` answer, once ready. */
  serverInfo: z.object({ name: z.string(), version: z.string() }).nullable(),
  tools: z.array(McpToolInfo),
  /** Why it failed (or why its config entry is refused). */
  error: z.string().nullable(),
  /** The last lines a stdio server wrote to stderr. */
  stderr: z.string(),
  /** Starts tried since it was last ready (or its config changed). */
  attempts: z.number().int().nonnegative(),
  /** When failed: the wait before the next try; null when none is planned. */
  retryInMs: z.number().int().nonnegative().nullable(),
});
export type McpServerStatus = z.infer<typeof McpServerStatus>;

export const McpServerList = z.object({
  servers: z.array(McpServerStatus),
  /** Where the config lives, to tell the user. */
  configPath: z.string(),
  /** Why mcp.json could not be read; the servers of its last good reading go on. */
  configError: z.string().nullable(),
  /** Grows with every change: of two lists, the one with the higher revision is newer. */
  revision: z.number().int().nonnegative(),
});
export type McpServerList = z.infer<typeof McpServerList>;

export const AddMcpServerBody = z.object({ name: McpServerName, config: McpServerConfig });
export const UpdateMcpServerBody = z.object({ enabled: z.boolean() });
export const McpServerParams = z.object({ name: z.string().min(1).max(200) });

/** The servers a chat does not use; every other server's tools join its tools. */
export const ChatMcpSettings = z.object({ disabledServers: z.array(z.string()) });
export type ChatMcpSettings = z.infer<typeof ChatMcpSettings>;
export const ChatMcpParams = z.object({ chatId: z.uuid(), name: z.string().min(1).max(200) });
export const SetChatMcpBody = z.object({ enabled: z.boolean() });
