import path from 'node:path';
import { backendListen, connectBackend, runService } from '@boocode/service';
import { agentBackends } from './agents/backends.ts';
import { endLeftoverGroups, recordAgentGroups } from './agents/leftovers.ts';
import { buildApp, defaultProviders } from './app.ts';
import { loadConfig } from './config.ts';

await runService({
  name: 'coder',
  loadConfig,
  start: async (config) => {
    // Agents a killed coder left running (an `opencode serve`, say) end before any starts.
    const groups = path.join(config.home, 'run', 'agent-groups');
    const leftovers = endLeftoverGroups(groups);
    recordAgentGroups(groups);
    const { sql, token } = await connectBackend(config);
    const backends = agentBackends({ sql });
    const providers = defaultProviders(config, backends);
    const app = await buildApp({ config, sql, token, providers, backends });
    if (leftovers) app.log.warn(`ended ${leftovers} agent process group(s) left by the last coder`);
    // The default providers file, then the probes, in the background: a failure is only logged.
    providers.start().catch((err: unknown) => app.log.warn({ err }, 'providers: could not start'));
    return {
      app,
      listen: backendListen(config).listen,
      announce: () => `coder is running on ${backendListen(config).at}`,
      release: async () => {
        await providers.stop();
        await sql.end({ timeout: 5 });
      },
    };
  },
});
