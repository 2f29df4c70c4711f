import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export type FakeAcpMode = 'normal' | 'crash' | 'hang' | 'garbage';

const require = createRequire(import.meta.url);
const tsxLoader = pathToFileURL(
  path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;
const script = fileURLToPath(new URL('./fake-acp-agent.ts', import.meta.url));

/**
 * How to start the fake ACP agent (`fake-acp-agent.ts`) in `mode`: a command, its args and the
 * variables to add to its environment. `pidFile` receives "<agent pid> <helper pid>".
 */
export function fakeAcpAgent(
  mode: FakeAcpMode,
  pidFile?: string,
): { command: string; args: string[]; env: Record<string, string> } {
  return {
    command: process.execPath,
    args: ['--import', tsxLoader, script],
    env: { FAKE_ACP_MODE: mode, ...(pidFile ? { FAKE_ACP_PIDFILE: pidFile } : {}) },
  };
}
