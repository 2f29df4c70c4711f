import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeGitRepo, type ChatRequest, type Reply } from '@boocode/testkit';
import type { AgentBackend, AgentLaunch } from '../../src/agents/backend.ts';
import {
  createOpencodeBackends,
  type OpencodeBackends,
  type OpencodeBackendsOptions,
} from '../../src/agents/opencode/opencode-backend.ts';
import { RecordingSink, registryLaunch } from './acp-helpers.ts';

/** The turn's requests offer tools; opencode's side request (a session title) does not. */
export const offersTools = (req: ChatRequest) => Array.isArray(req.tools) && req.tools.length > 0;
export const hasToolResult = (req: ChatRequest) => req.messages.some((m) => m.role === 'tool');
export const turn =
  (reply: (req: ChatRequest) => Reply) =>
  (req: ChatRequest): Reply =>
    offersTools(req) ? reply(req) : { content: ['A title'] };

/**
 * One opencode world for a test file: a root folder, opencode's HOME and config as the registry
 * launches it (driver http), the backends under test, and one "keeper" session held open so the
 * file's tests share one `opencode serve` (it takes seconds to start here).
 */
export interface OpencodeWorld {
  root: string;
  launch: AgentLaunch;
  backends: OpencodeBackends;
  /** A new git repository under the root: a session's worktree. */
  repo(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function opencodeWorld(
  modelUrl: string,
  options: OpencodeBackendsOptions = {},
  keep = true,
): Promise<OpencodeWorld> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-oc-')));
  const home = path.join(root, 'home');
  await mkdir(home);
  const launch = { ...(await registryLaunch('opencode', home, modelUrl)), driver: 'http' as const };
  const backends = createOpencodeBackends(options);
  const repo = (name: string) => makeGitRepo(path.join(root, name), { 'README.md': `# ${name}\n` });
  let keeper: AgentBackend | null = null;
  if (keep) {
    keeper = await backends.start({ launch, cwd: await repo('keeper'), sink: new RecordingSink() });
  }
  return {
    root,
    launch,
    backends,
    repo,
    close: async () => {
      await keeper?.close();
      await backends.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** True while a process with this pid exists (zombies aside). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
