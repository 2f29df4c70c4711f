import { backendListen, connectBackend, runService } from '@boocode/service';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

await runService({
  name: 'booterm',
  loadConfig,
  start: async (config) => {
    const { sql, token } = await connectBackend(config);
    const { app } = await buildApp({ config, sql, token });
    return {
      app,
      listen: backendListen(config).listen,
      announce: () => `booterm is running on ${backendListen(config).at}`,
      release: () => sql.end({ timeout: 5 }),
      shutdownNote: 'terminals keep running in tmux',
    };
  },
});
