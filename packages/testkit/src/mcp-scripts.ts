import { fileURLToPath } from 'node:url';

/** Tiny stand-ins for broken MCP servers, run with `node <path>`. */
export const mcpTestServers = {
  /** Writes a reason on stderr and exits 3 at once. */
  crashOnStart: fileURLToPath(new URL('./mcp/crash-on-start.mjs', import.meta.url)),
  /** Reads stdin forever and never writes a byte to stdout; has a `sleep` child. */
  neverAnswers: fileURLToPath(new URL('./mcp/never-answers.mjs', import.meta.url)),
};
