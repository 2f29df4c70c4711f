import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import {
  AppError,
  McpFile,
  McpHttpConfig,
  McpServerName,
  McpStdioConfig,
  type McpServerConfig,
} from '@boocode/protocol';

/** One entry of mcp.json: its config, or why it is refused (the others still run). */
export interface McpEntry {
  name: string;
  config: McpServerConfig | null;
  error: string | null;
}

/** mcp.json as read: its entries, or why the whole file could not be read. */
export type McpReading = { ok: true; entries: McpEntry[] } | { ok: false; error: string };

const issueText = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
};

/** Reads one entry; `disabled: true` (as some clients write it) reads as `enabled: false`. */
export function parseEntry(name: string, raw: unknown): McpEntry {
  const refuse = (error: string): McpEntry => ({ name, config: null, error });
  const n = McpServerName.safeParse(name);
  if (!n.success) return refuse(`Bad name: ${issueText(n.error)}`);
  if (n.data !== name) return refuse('Bad name: no spaces around it.');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return refuse('The entry must be an object with "command" (stdio) or "url" (streamable HTTP).');
  }
  const schema = 'command' in raw ? McpStdioConfig : 'url' in raw ? McpHttpConfig : null;
  if (!schema) return refuse('The entry needs "command" (stdio) or "url" (streamable HTTP).');
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return refuse(`Bad entry: ${issueText(parsed.error)}`);
  const config: McpServerConfig = parsed.data;
  if (config.enabled === undefined && 'disabled' in raw && raw.disabled === true) {
    config.enabled = false;
  }
  return { name, config, error: null };
}

/** Reads mcp.json; a missing file is an empty one. Never throws. */
export async function readMcpFile(file: string): Promise<McpReading> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, entries: [] };
    return { ok: false, error: `Cannot read ${file}: ${(err as Error).message}` };
  }
  if (!text.trim()) return { ok: true, entries: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `${file} is not valid JSON: ${(err as Error).message}` };
  }
  const file_ = McpFile.safeParse(json);
  if (!file_.success) return { ok: false, error: `${file}: ${issueText(file_.error)}` };
  return {
    ok: true,
    entries: Object.entries(file_.data.mcpServers).map(([name, raw]) => parseEntry(name, raw)),
  };
}

/**
 * Changes mcp.json's `mcpServers` in place, keeping every other key (and keys of the
 * entries this does not know) as they were, and writes it atomically, readable by the
 * owner only (env and headers may hold secrets). Refuses to touch a file it cannot read.
 */
export async function editMcpFile(
  file: string,
  change: (servers: Record<string, unknown>) => void,
): Promise<void> {
  let doc: Record<string, unknown> = {};
  let text = '';
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AppError('conflict', `Cannot read ${file}: ${(err as Error).message}`);
    }
  }
  if (text.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new AppError('conflict', `${file} has an error: fix it by hand first.`);
    }
    doc = json as Record<string, unknown>;
  }
  const servers = doc.mcpServers ?? {};
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new AppError('conflict', `${file}: "mcpServers" is not an object: fix it by hand first.`);
  }
  change(servers as Record<string, unknown>);
  doc.mcpServers = servers;
  const tmp = path.join(path.dirname(file), `.mcp.json.${randomUUID()}.tmp`);
  try {
    await writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new AppError('internal', `Cannot write ${file}: ${(err as Error).message}`);
  }
}
