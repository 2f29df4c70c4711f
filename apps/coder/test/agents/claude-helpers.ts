import { readdirSync, readlinkSync } from 'node:fs';
import type { AnthropicServer, TestDatabase } from '@boocode/testkit';
import { findClaudeSdkBinary } from '../../src/agents/claude/backend.ts';
import type { AgentLaunch } from '../../src/agents/backend.ts';
import { baseEnv } from './acp-helpers.ts';

/** The SDK's native CLI, or null (with the reason printed). */
export function claudeSdkBin(): string | null {
  const bin = findClaudeSdkBinary();
  if (!bin)
    console.log(
      'skipping the claude_sdk tests: @anthropic-ai/claude-agent-sdk-linux-x64 is missing',
    );
  return bin;
}

/** How the registry launches the SDK's CLI offline: its HOME, the scripted Anthropic server. */
export function claudeLaunch(bin: string, home: string, model: AnthropicServer): AgentLaunch {
  return {
    driver: 'sdk',
    command: bin,
    args: [],
    env: {
      ...baseEnv(home),
      // As root, claude refuses to run without it.
      IS_SANDBOX: '1',
      ANTHROPIC_BASE_URL: model.url,
      ANTHROPIC_API_KEY: 'sk-test',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    },
  };
}

/** The number of transcript entries PostgreSQL holds for a Claude session. */
export async function storedEntries(db: TestDatabase, claudeId: string): Promise<number> {
  const [row] = await db.sql<{ n: string }[]>`
    select count(*) as n from claude_session_entries where session_id = ${claudeId}`;
  return Number(row?.n ?? 0);
}

/** Every text of a request's messages (the conversation the model was sent). */
export function conversationText(req: { messages: { content: unknown }[] }): string {
  return JSON.stringify(req.messages);
}

/** Pids of the live processes whose cwd is `dir` (an agent left running in its worktree). */
export function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}
