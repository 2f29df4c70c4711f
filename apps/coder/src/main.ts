import { backendListen, connectBackend, runService } from '@boocode/service';
import { agentBackends } from './agents/backends.ts';
import { buildApp, defaultProviders } from './app.ts';
import { loadConfig } from './config.ts';

await runService({
  name: 'coder',
  loadConfig,
  start: async (config) => {
    const { sql, token } = await connectBackend(config);
    const backends = agentBackends({ sql });
    const providers = defaultProviders(config, backends);
    const app = await buildApp({ config, sql, token, providers, backends });
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
