import { createHash } from 'node:crypto';
import { chatMcpDisabled, type Sql } from '@boocode/db';
import type {
  CallToolResult,
  CompatibilityCallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolSpec } from '../chat/model-client.ts';
import {
  capResult,
  parseArguments,
  type Toolbox,
  type ToolResult,
  type ToolSource,
} from '../chat/toolbox.ts';
import type { McpManager, ReadyServer } from './manager.ts';
import { loadMcpSdk } from './sdk.ts';

/** Base64 characters of images one result may keep for the page (about 1.5 MB of image). */
const MAX_IMAGE_CHARS = 2 * 1024 * 1024;

/** OpenAI's limit on a function name, and its charset. */
const MAX_NAME = 64;
const sanitize = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * `server__tool`, in the charset and length the OpenAI API takes; a name cut or made
 * equal to another by that gets a short hash of the original so both stay callable.
 */
export function toolName(server: string, tool: string, taken: Set<string>): string {
  const full = `${server}__${tool}`;
  let name = `${sanitize(server)}__${sanitize(tool)}`;
  if (name.length > MAX_NAME || taken.has(name)) {
    const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_NAME - 9)}_${hash}`;
  }
  taken.add(name);
  return name;
}

/** The tools of the ready MCP servers that the chat has not turned off. */
export function mcpToolSource(mcp: McpManager, sql: Sql): ToolSource {
  return async ({ chat }) => {
    const ready = mcp.readyServers();
    if (ready.length === 0) return null;
    const off = new Set(await chatMcpDisabled(sql, chat.id));
    return mcpToolbox(
      mcp,
      ready.filter((s) => !off.has(s.name)),
    );
  };
}

/** The servers' tools as one box; each call goes to the server's connection of the moment. */
export function mcpToolbox(mcp: McpManager, servers: ReadyServer[]): Toolbox | null {
  const routes = new Map<string, { server: string; tool: string }>();
  const specs: ToolSpec[] = [];
  const taken = new Set<string>();
  const used: string[] = [];
  for (const { name: server, connection } of servers) {
    const tools = connection.toolList;
    if (tools.length === 0) continue;
    used.push(server);
    for (const tool of tools) {
      const name = toolName(server, tool.name, taken);
      routes.set(name, { server, tool: tool.name });
      specs.push({
        name,
        description: (tool.description ?? tool.title ?? tool.name).slice(0, 1024),
        parameters: tool.inputSchema as Record<string, unknown>,
      });
    }
  }
  if (specs.length === 0) return null;
  const list = used.map((s) => `"${s}"`).join(', ');
  return {
    specs,
    system: `Tools named "<server>__<tool>" come from the MCP servers ${list}.`,
    async run(call, signal) {
      const route = routes.get(call.name);
      if (!route) return { ok: false, text: `There is no tool named ${call.name}.` };
      const parsed = parseArguments(call);
      if (!parsed.ok) return parsed;
      const args = parsed.args;
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        return { ok: false, text: `The arguments of ${call.name} must be a JSON object.` };
      }
      try {
        const result = await mcp.callTool(
          route.server,
          route.tool,
          args as Record<string, unknown>,
          signal,
        );
        return resultText(result);
      } catch (err) {
        if (signal.aborted) return { ok: false, text: 'The call was stopped.' };
        // Loaded already: the call went through one of its clients.
        const { McpError, ErrorCode } = await loadMcpSdk();
        if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) {
          return {
            ok: false,
            text: `The MCP server "${route.server}" did not answer in time; the call was cancelled.`,
          };
        }
        const message = err instanceof Error ? err.message : String(err);
        return { ok: false, text: `The MCP server "${route.server}" failed: ${message}` };
      }
    },
  };
}

/**
 * A tool result as text for the model: text as is, resources as their text, images,
 * audio and binary resources as a short description of what was there.
 */
export function resultText(result: CallToolResult | CompatibilityCallToolResult): ToolResult {
  if (!('content' in result) || !Array.isArray(result.content)) {
    const value = 'toolResult' in result ? result.toolResult : result;
    return { ok: true, text: capResult(JSON.stringify(value)) };
  }
  const r = result as CallToolResult;
  const pieces = r.content.map((c) => {
    switch (c.type) {
      case 'text':
        return c.text;
      case 'image':
        return `[image: ${c.mimeType}, ${size(c.data)}]`;
      case 'audio':
        return `[audio: ${c.mimeType}, ${size(c.data)}]`;
      case 'resource': {
        const res = c.resource;
        if ('text' in res && typeof res.text === 'string') return `${res.uri}:\n${res.text}`;
        const blob = 'blob' in res && typeof res.blob === 'string' ? res.blob : '';
        return `[resource ${res.uri}: ${res.mimeType ?? 'binary'}, ${size(blob)}]`;
      }
      case 'resource_link':
        return `[resource link: ${c.uri}${c.name ? ` (${c.name})` : ''}]`;
      default:
        return '[content of an unknown type]';
    }
  });
  if (pieces.length === 0 && r.structuredContent !== undefined) {
    pieces.push(JSON.stringify(r.structuredContent));
  }
  // Images are kept for the page, up to a budget: they live in the message row.
  const images: { mimeType: string; data: string }[] = [];
  let budget = MAX_IMAGE_CHARS;
  for (const c of r.content) {
    if (c.type !== 'image' || !/^image\/[\w.+-]+$/.test(c.mimeType) || c.data.length > budget)
      continue;
    budget -= c.data.length;
    images.push({ mimeType: c.mimeType, data: c.data });
  }
  return {
    ok: r.isError !== true,
    text: capResult(pieces.join('\n')),
    ...(images.length ? { images } : {}),
  };
}

/** The decoded size of base64 data, readable. */
function size(base64: string): string {
  const bytes = Math.floor((base64.replace(/=+$/, '').length * 3) / 4);
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}
