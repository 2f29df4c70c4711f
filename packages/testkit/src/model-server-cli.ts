// Runs the scripted model server in a process of its own (for benchmarks, so it
// shares no event loop with what is measured). Every reply is `--tokens` word
// tokens, `--delay-ms` apart (default 0). Prints `listening <baseUrl>` on stdout.
import { startModelServer, wordTokens } from './model-server.ts';

const n = Number(process.argv.find((a) => a.startsWith('--tokens='))?.slice(9) ?? 1000);
const delayMs = Number(process.argv.find((a) => a.startsWith('--delay-ms='))?.slice(11) ?? 0);
const tokens = wordTokens(n);
const server = await startModelServer({ script: () => ({ content: tokens, delayMs }) });
process.stdout.write(`listening ${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
