import { startBenchEnv } from './env.ts';
import { chatRelay } from './chat-relay.ts';
import { codeGraph } from './code-graph.ts';
import { longChat } from './long-chat.ts';
import { pathGuardFuzz } from './path-guard-fuzz.ts';
import { soak } from './soak.ts';
import { start } from './start.ts';
import { terminal } from './terminal.ts';

const only = process.argv[2];
const benches: Record<string, (env: Awaited<ReturnType<typeof startBenchEnv>>) => Promise<void>> = {
  'chat-relay': chatRelay,
  'code-graph': codeGraph,
  'long-chat': longChat,
  'path-guard-fuzz': pathGuardFuzz,
  start,
  terminal,
  soak,
};

const env = await startBenchEnv();
try {
  for (const [name, run] of Object.entries(benches)) {
    if (only && only !== name) continue;
    await run(env);
  }
} catch (err) {
  console.error(err);
  process.exitCode = 1;
} finally {
  await env.close();
}
