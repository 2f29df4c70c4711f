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

type Default = Omit<ProviderEntry, 'id' | 'enabled' | 'ownConfig' | 'env'>;

/**
 * The seven providers boocode knows. The ACP commands are the ones measured offline here
 * (../shared/notes/agents-offline.md): qwen 0.15.10 takes `--acp`. Cursor's ACP adapter is not
 * on npm: its own CLI, `cursor-agent`, runs in a terminal of the pane (driver `pty`).
 */
export const DEFAULTS: Record<string, Default> = {
  boocode: { label: 'BooCode', driver: 'builtin', command: null, args: [] },
  claude: { label: 'Claude Code', driver: 'acp', command: 'claude-code-acp', args: [] },
  opencode: { label: 'opencode', driver: 'acp', command: 'opencode', args: ['acp'] },
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
      ...(d.command ? { command: d.command, args: d.args } : {}),
      ownConfig: false,
    };
  }
  return { providers };
}

/**
 * The entries in use: the defaults, each with its file entry merged over it, then the ones the
 * user added (which must name a command), in the file's order. Returns the id of an added entry
 * without a command as an error.
 */
export function mergeEntries(
  file: Record<string, ProviderConfig>,
): { ok: true; entries: ProviderEntry[] } | { ok: false; id: string } {
  const entries: ProviderEntry[] = [];
  const one = (id: string, d: Default | undefined, c: ProviderConfig | undefined) => ({
    id,
    label: c?.label ?? d?.label ?? id,
    driver: c?.driver ?? d?.driver ?? 'acp',
    enabled: c?.enabled ?? true,
    ownConfig: c?.ownConfig ?? false,
    command: c?.command ?? d?.command ?? null,
    args: c?.args ?? (c?.command ? [] : (d?.args ?? [])),
    env: c?.env ?? {},
  });
  for (const [id, d] of Object.entries(DEFAULTS)) entries.push(one(id, d, file[id]));
  for (const [id, c] of Object.entries(file)) {
    if (id in DEFAULTS) continue;
    if (!c.command) return { ok: false, id };
    entries.push(one(id, undefined, c));
  }
  return { ok: true, entries };
}
