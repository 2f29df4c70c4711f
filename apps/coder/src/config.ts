import {
  parseEnv,
  port,
  refineProxy,
  SERVICE_SECRETS,
  serviceConfig,
  serviceEnv,
  type BackendConfig,
} from '@boocode/service';
import { z } from 'zod';

export { ConfigError } from '@boocode/service';

/** The variables of every service (see serviceEnv) plus coder's own CODER_* ones. */
const Env = refineProxy(
  z.object({
    ...serviceEnv,
    CODER_PORT: port(9502),
    CODER_HOST: z.string().min(1).default('127.0.0.1'),
    /** A unix socket path to listen on instead of CODER_HOST:CODER_PORT (the server sets it). */
    CODER_SOCKET: z.string().startsWith('/', 'must be an absolute path').optional(),
  }),
);

export type Config = BackendConfig;

/** Parses the environment once at boot; throws ConfigError naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(Env, env, new Set(SERVICE_SECRETS));
  return {
    ...serviceConfig(e),
    port: e.CODER_PORT,
    host: e.CODER_HOST,
    socket: e.CODER_SOCKET ?? null,
    publicHost: e.HOST,
    publicPort: e.PORT,
  };
}
