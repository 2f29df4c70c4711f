import {
  backendConfig,
  backendEnv,
  parseEnv,
  refineProxy,
  SERVICE_SECRETS,
  serviceEnv,
  type BackendConfig,
} from '@boocode/service';
import { z } from 'zod';

export { ConfigError } from '@boocode/service';

/** The variables of every service (see serviceEnv) plus booterm's own BOOTERM_* ones. */
const Env = refineProxy(
  z.object({
    ...serviceEnv,
    ...backendEnv('BOOTERM', 9501),
    /** tmux socket name (`tmux -L`): tests use their own so that they never touch the user's. */
    BOOTERM_TMUX_SOCKET: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default('boocode'),
    /** The program a new local terminal runs; default: the user's login shell (tmux's default). */
    BOOTERM_SHELL: z.string().optional(),
    /** Lines of scrollback sent on (re)attach. */
    BOOTERM_REPLAY_LINES: z.coerce.number().int().min(0).max(50_000).default(5000),
    /** Terminals (running or ended) kept at once; a new one past it is refused. */
    BOOTERM_MAX_TERMINALS: z.coerce.number().int().min(1).max(10_000).default(64),
  }),
);

export interface Config extends BackendConfig {
  tmuxSocket: string;
  /** argv of a new local terminal's program; null: tmux's default (the login shell). */
  shell: string[] | null;
  replayLines: number;
  maxTerminals: number;
}

/** Parses the environment once at boot; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(Env, env, new Set(SERVICE_SECRETS));
  const shell = e.BOOTERM_SHELL?.trim().split(/\s+/).filter(Boolean);
  return {
    ...backendConfig(e, { port: e.BOOTERM_PORT, host: e.BOOTERM_HOST, socket: e.BOOTERM_SOCKET }),
    tmuxSocket: e.BOOTERM_TMUX_SOCKET,
    shell: shell?.length ? shell : null,
    replayLines: e.BOOTERM_REPLAY_LINES,
    maxTerminals: e.BOOTERM_MAX_TERMINALS,
  };
}
