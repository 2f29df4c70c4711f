import type { ProviderConfig, ProviderDriver, ProviderId } from '@boocode/protocol';

/** A provider with every field filled in: the defaults, with the file's entry over them. */
export interface ProviderEntry {
  id: ProviderId;
  label: string;
  driver: ProviderDriver;
  enabled: boolean;
  ownConfig: boolean;
  /** null for the built-in loop, which runs in-process. */
  command: string | null;
  args: string[];
  env: Record<string, string>;
}

type Default = Omit<ProviderEntry, 'id' | 'enabled' | 'ownConfig' | 'env'> & {
  /** The args under another driver than the default (opencode's `acp`). */
  argsFor?: Partial<Record<ProviderDriver, string[]>>;
};

/**
 * The seven providers boocode knows. The ACP commands are the ones measured offline here
 * (../shared/notes/agents-offline.md): qwen 0.15.10 takes `--acp`. opencode runs as
 * `opencode serve`, driven over HTTP (its ACP mode stays a driver away). Cursor's ACP adapter is
 * not on npm: its own CLI, `cursor-agent`, runs in a terminal of the pane (driver `pty`).
 */
export const DEFAULTS: Record<string, Default> = {
  boocode: { label: 'BooCode', driver: 'builtin', command: null, args: [] },
  claude: { label: 'Claude Code', driver: 'acp', command: 'claude-code-acp', args: [] },
  opencode: {
    label: 'opencode',
    driver: 'http',
    command: 'opencode',
    args: [],
    argsFor: { acp: ['acp'] },
  },
  goose: { label: 'Goose', driver: 'acp', command: 'goose', args: ['acp'] },
  qwen: { label: 'Qwen Code', driver: 'acp', command: 'qwen', args: ['--acp'] },
  copilot: { label: 'GitHub Copilot', driver: 'acp', command: 'copilot', args: ['--acp'] },
  cursor: { label: 'Cursor', driver: 'pty', command: 'cursor-agent', args: [] },
};

/** What a new coder-providers.json holds: every default, spelled out so it can be edited. */
export function defaultFile(): { providers: Record<string, ProviderConfig> } {
  const providers: Record<string, ProviderConfig> = {};
  for (const [id, d] of Object.entries(DEFAULTS)) {
    providers[id] = {
      enabled: true,
      label: d.label,
      driver: d.driver,
      ...(d.command ? { command: d.command } : {}),
      // Left out when none: the driver's own then (opencode's `acp` under the ACP driver).
      ...(d.args.length > 0 ? { args: d.args } : {}),
      ownConfig: false,
    };
  }
  return { providers };
}

export interface MergeOptions {
  /**
   * `CLAUDE_SDK_BACKEND=1`: the Claude Agent SDK's CLI (its native binary's path, or the name
   * shown when the SDK's platform package is missing), which drives `claude` instead of ACP.
   */
  claudeSdk?: string;
}

/**
 * The entries in use: the defaults, each with its file entry merged over it, then the ones the
 * user added (which must name a command), in the file's order. Returns the id of an added entry
 * without a command as an error.
 */
export function mergeEntries(
  file: Record<string, ProviderConfig>,
  opts: MergeOptions = {},
): { ok: true; entries: ProviderEntry[] } | { ok: false; id: string } {
  const entries: ProviderEntry[] = [];
  const one = (id: string, d: Default | undefined, c: ProviderConfig | undefined) => {
    const driver = c?.driver ?? d?.driver ?? 'acp';
    // A command of the user's own runs with the args given, none by default.
    const own = c?.command !== undefined && c.command !== d?.command;
    const args = own ? [] : (d?.argsFor?.[driver] ?? d?.args ?? []);
    return {
      id,
      label: c?.label ?? d?.label ?? id,
      driver,
      enabled: c?.enabled ?? true,
      ownConfig: c?.ownConfig ?? false,
      command: c?.command ?? d?.command ?? null,
      args: c?.args ?? args,
      env: c?.env ?? {},
    };
  };
  for (const [id, d] of Object.entries(DEFAULTS)) {
    const entry = one(id, d, file[id]);
    // The flag puts Claude on the Agent SDK, whatever the file says: its CLI is the SDK's own.
    if (id === 'claude' && opts.claudeSdk) {
      Object.assign(entry, { driver: 'sdk', command: opts.claudeSdk, args: [] });
    }
    entries.push(entry);
  }
  for (const [id, c] of Object.entries(file)) {
    if (id in DEFAULTS) continue;
    if (!c.command) return { ok: false, id };
    entries.push(one(id, undefined, c));
  }
  return { ok: true, entries };
}
