import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent, ProviderConfig } from '@boocode/protocol';
import { makeGitRepo } from '@boocode/testkit';
import type {
  AgentLaunch,
  AgentSink,
  PermissionAnswer,
  PermissionAsk,
} from '../../src/agents/backend.ts';
import { probeAcp } from '../../src/agents/acp/probe.ts';
import { ProviderRegistry } from '../../src/providers/registry.ts';

/** An agent CLI installed by apps/coder's dependencies, or null (with the reason printed). */
export function agentBin(name: string): string | null {
  const bin = fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
  if (existsSync(bin)) return bin;
  console.log(`skipping the ${name} tests: ${bin} is missing (run pnpm install)`);
  return null;
}

/** A sink that records every event and answers permission questions with `answer`. */
export class RecordingSink implements AgentSink {
  readonly events: AgentEvent[] = [];
  readonly asks: PermissionAsk[] = [];
  private waiters: { test: (e: AgentEvent) => boolean; resolve: (e: AgentEvent) => void }[] = [];

  constructor(
    private readonly answer: (ask: PermissionAsk) => PermissionAnswer = () => ({
      cancelled: true,
    }),
  ) {}

  emit(event: AgentEvent): void {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(event)) return true;
      w.resolve(event);
      return false;
    });
  }

  requestPermission(ask: PermissionAsk): Promise<PermissionAnswer> {
    this.asks.push(ask);
    return Promise.resolve(this.answer(ask));
  }

  /** The first event (already seen or still to come) that passes `test`. */
  next(test: (e: AgentEvent) => boolean): Promise<AgentEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Concatenated message deltas. */
  text(): string {
    return this.events.map((e) => (e.type === 'message.delta' ? e.text : '')).join('');
  }
}

/** The answer that picks the option of `kind`. */
export function pick(kind: string): (ask: PermissionAsk) => PermissionAnswer {
  return (ask) => {
    const option = ask.options.find((o) => o.kind === kind);
    return option ? { optionId: option.id } : { cancelled: true };
  };
}

export interface AgentDirs {
  /** A real git repository: the agent's cwd. */
  repo: string;
  /** The agent's own HOME, existing and empty. */
  home: string;
  remove(): Promise<void>;
}

export async function agentDirs(): Promise<AgentDirs> {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'boocode-acp-')));
  const repo = await makeGitRepo(path.join(root, 'repo'), { 'README.md': '# demo\n' });
  const home = path.join(root, 'home');
  await mkdir(home);
  return { repo, home, remove: () => rm(root, { recursive: true, force: true }) };
}

/** PATH and the few variables a node CLI needs, nothing else of ours. */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

/** opencode driven over ACP (`opencode acp`) rather than its default HTTP server. */
export const OPENCODE_ACP: Record<string, ProviderConfig> = {
  opencode: { enabled: true, ownConfig: false, driver: 'acp' },
};

/**
 * The provider registry over `boocodeHome` as a fresh `$BOOCODE_HOME` (the default providers,
 * with `providers` as its coder-providers.json when given), pointed at the scripted OpenAI server
 * at `baseUrl`, with the real ACP probe.
 */
export function scriptedRegistry(
  boocodeHome: string,
  baseUrl: string,
  providers?: Record<string, ProviderConfig>,
): ProviderRegistry {
  if (providers) {
    writeFileSync(path.join(boocodeHome, 'coder-providers.json'), JSON.stringify({ providers }));
  }
  return new ProviderRegistry({
    home: boocodeHome,
    endpoint: { baseUrl, apiKey: null, anthropicBaseUrl: null, anthropicApiKey: null },
    probe: { acp: probeAcp },
    probeTimeoutMs: 30_000,
  });
}

/** How that registry launches `providerId` (its real `launchFor`). */
export function registryLaunch(
  providerId: string,
  boocodeHome: string,
  baseUrl: string,
  providers?: Record<string, ProviderConfig>,
): Promise<AgentLaunch> {
  return scriptedRegistry(boocodeHome, baseUrl, providers).launchFor(providerId);
}
