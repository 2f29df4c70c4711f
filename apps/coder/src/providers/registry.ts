import path from 'node:path';
import {
  AppError,
  notFound,
  type ProviderDriver,
  type ProviderInfo,
  type ProviderList,
} from '@boocode/protocol';
import { isAgentDriver, type AgentDriver, type AgentLaunch } from '../agents/backend.ts';
import {
  ensureProvidersFile,
  patchProvidersFile,
  readProviders,
  type ProvidersReading,
} from './config-file.ts';
import type { MergeOptions, ProviderEntry } from './defaults.ts';
import { checkInstalled, type Installed } from './installed.ts';
import { endpointModels } from './endpoint-models.ts';
import { baseEnv, buildLaunch, wantsModel, type Endpoint } from './launch.ts';
import { ProbeCache, within, type ProbeAgent, type ProbeResult } from './probes.ts';

export interface RegistryOptions {
  /** `$BOOCODE_HOME`: coder-providers.json, coder-probes.json and the agents' homes live there. */
  home: string;
  endpoint: Endpoint;
  /** Tier 2 by driver (ACP's probeAcp, opencode's server, the Claude SDK); without, it fails. */
  probe?: Partial<Record<AgentDriver, ProbeAgent>>;
  /** How the file's entries are read (CLAUDE_SDK_BACKEND's driver for claude). */
  merge?: MergeOptions;
  probeTimeoutMs?: number;
}

const BUILTIN = { path: null, version: null } satisfies Installed;

/**
 * The agent providers of this machine: coder-providers.json merged over the defaults, tier 1
 * (on PATH, version) checked on every snapshot, tier 2 (the agent's handshake) on demand and
 * once at start, and how to launch each.
 */
export class ProviderRegistry {
  readonly configPath: string;
  private readonly probes: ProbeCache;
  private readonly tier1 = new Map<string, Promise<Installed>>();
  private patching: Promise<unknown> = Promise.resolve();
  private background: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly opts: RegistryOptions) {
    this.configPath = path.join(opts.home, 'coder-providers.json');
    this.probes = new ProbeCache(path.join(opts.home, 'coder-probes.json'));
  }

  /**
   * Writes the default file if there is none, then probes in the background, one after another
   * (they start beside the server on a small machine), the enabled, installed ACP agents whose
   * last probe did not answer or that were never probed: one that answered keeps its cached
   * models and modes until it is probed again from the Providers dialog.
   */
  async start(): Promise<void> {
    await ensureProvidersFile(this.configPath);
    const { entries } = await this.read();
    await this.probes.ready();
    const enabled = entries.filter(
      (e) => e.enabled && isAgentDriver(e.driver) && this.probes.view(e.id).probe.state !== 'ok',
    );
    // Probing from now, while tier 1 runs and each waits for its turn: a page that opens then
    // asks again until the modes and models are in (they are not, while any is probing).
    this.probes.queue(enabled.map((e) => e.id));
    const installed = await this.installedAll(entries);
    const due = entries.filter((e, i) => enabled.includes(e) && installed[i]!.path);
    for (const e of enabled) if (!due.includes(e)) this.probes.unqueue(e.id);
    this.background = (async () => {
      for (const e of due) if (!this.stopping.signal.aborted) await this.runProbe(e);
    })();
  }

  /**
   * At shutdown: the probes waiting their turn are dropped and the one running is cut (its agent
   * killed), none of them recorded; resolves when no probe's process is left.
   */
  async stop(): Promise<void> {
    this.probes.stop();
    this.stopping.abort();
    await this.idle();
  }

  /** Resolves once the background probes and those running now are done and written. */
  async idle(): Promise<void> {
    await this.background;
    await this.probes.idle();
  }

  async snapshot(): Promise<ProviderList> {
    const { entries, error } = await this.read();
    const installed = await this.installedAll(entries);
    await this.probes.ready();
    return {
      providers: entries.map((e, i) => this.info(e, installed[i]!)),
      configPath: this.configPath,
      configError: error,
    };
  }

  async patch(
    id: string,
    patch: { enabled?: boolean; ownConfig?: boolean },
  ): Promise<ProviderList> {
    await this.entry(id);
    const write = this.patching.then(() => patchProvidersFile(this.configPath, id, patch));
    this.patching = write.catch(() => undefined);
    await write;
    return this.snapshot();
  }

  /** Runs tier 2 for one provider now (or waits for the one running) and answers the snapshot. */
  async probe(id: string): Promise<ProviderList> {
    await this.runProbe(await this.entry(id));
    return this.snapshot();
  }

  /** The command and whole environment to start `providerId`'s agent with. */
  async launchFor(
    providerId: string,
    { model, endpoint = this.opts.endpoint }: { model?: string; endpoint?: Endpoint } = {},
  ): Promise<AgentLaunch> {
    const entry = await this.entry(providerId);
    if (!entry.enabled) {
      throw new AppError('conflict', `${entry.label} is turned off (Providers).`);
    }
    const found = await this.installed(entry);
    if (entry.command && !found.path) throw notInstalled(entry);
    const chosen = model ?? (wantsModel(entry) ? await this.defaultModel(endpoint) : undefined);
    // Without a model such a CLI fails later and obscurely ("Authentication required").
    if (chosen === undefined && wantsModel(entry)) {
      throw new AppError(
        'conflict',
        `${entry.label} is pointed at boocode's model endpoint (${endpoint.baseUrl}), which lists no model: start it or set LLM_BASE_URL, or let ${entry.label} use its own configuration (Providers).`,
      );
    }
    return buildLaunch({
      entry,
      resolved: found.path ?? '',
      boocodeHome: this.opts.home,
      endpoint,
      model: chosen,
    });
  }

  /**
   * The endpoint's first model, for a CLI that cannot start without one (qwen refuses a new
   * session: "Authentication required"); none when the endpoint does not answer.
   */
  private async defaultModel(endpoint: Endpoint): Promise<string | undefined> {
    const models = await endpointModels(endpoint, 5_000).catch(() => []);
    return models[0]?.id;
  }

  /** How a provider is driven, and its name. */
  async describe(id: string): Promise<{ driver: ProviderDriver; label: string }> {
    const e = await this.entry(id);
    return { driver: e.driver, label: e.label };
  }

  private read(): Promise<ProvidersReading> {
    return readProviders(this.configPath, this.opts.merge);
  }

  private async entry(id: string): Promise<ProviderEntry> {
    const { entries } = await this.read();
    const entry = entries.find((e) => e.id === id);
    if (!entry) throw notFound(`provider "${id}"`);
    return entry;
  }

  private info(e: ProviderEntry, found: Installed): ProviderInfo {
    const tier2 = this.probes.view(e.id);
    return {
      id: e.id,
      label: e.label,
      driver: e.driver,
      enabled: e.enabled,
      ownConfig: e.ownConfig,
      installed: e.driver === 'builtin' || found.path !== null,
      version: found.version ?? tier2.version,
      command: e.command ? [e.command, ...e.args].join(' ') : null,
      models: tier2.models,
      modes: tier2.modes,
      thinkingLevels: tier2.thinkingLevels,
      probe: tier2.probe,
    };
  }

  private installedAll(entries: ProviderEntry[]): Promise<Installed[]> {
    return Promise.all(entries.map((e) => this.installed(e)));
  }

  /** Tier 1; snapshots asked at the same moment share one run per command. */
  private installed(e: ProviderEntry): Promise<Installed> {
    if (e.driver === 'builtin' || !e.command) return Promise.resolve(BUILTIN);
    const env = { ...baseEnv(), ...e.env };
    const key = JSON.stringify([e.command, env.PATH]);
    const running = this.tier1.get(key);
    if (running) return running;
    const run = checkInstalled(e.command, env.PATH ?? '', env).finally(() =>
      this.tier1.delete(key),
    );
    this.tier1.set(key, run);
    return run;
  }

  private runProbe(e: ProviderEntry): Promise<void> {
    const timeoutMs = this.opts.probeTimeoutMs ?? 20_000;
    return this.probes.run(e.id, async (): Promise<ProbeResult> => {
      if (e.driver === 'builtin') return this.probeEndpoint(timeoutMs);
      const probe = isAgentDriver(e.driver) ? this.opts.probe?.[e.driver] : undefined;
      if (!probe) return { ok: false, error: `No handshake to probe a ${e.driver} agent.` };
      const launch = await this.launchFor(e.id);
      const late = `${e.label} did not answer its handshake within ${timeoutMs / 1000} s.`;
      // The probe has its own timeout; this one only guards against a probe that hangs anyway.
      const grace = Math.min(timeoutMs, 2_000);
      const signal = this.stopping.signal;
      return within(probe(launch, { timeoutMs, signal }), timeoutMs + grace, late);
    });
  }

  /** boocode's own loop: the endpoint answers, and its models. */
  private async probeEndpoint(timeoutMs: number): Promise<ProbeResult> {
    const models = await endpointModels(this.opts.endpoint, timeoutMs);
    return { ok: true, agent: 'boocode', version: '', models, modes: [] };
  }
}

function notInstalled(e: ProviderEntry): AppError {
  return new AppError('conflict', `${e.label} is not installed: "${e.command}" is not on PATH.`);
}
