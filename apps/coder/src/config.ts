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

/** The variables of every service (see serviceEnv) plus coder's own CODER_* ones. */
const Env = refineProxy(z.object({ ...serviceEnv, ...backendEnv('CODER', 9502) }));

export type Config = BackendConfig;

/** Parses the environment once at boot; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(Env, env, new Set(SERVICE_SECRETS));
  return backendConfig(e, { port: e.CODER_PORT, host: e.CODER_HOST, socket: e.CODER_SOCKET });
}
