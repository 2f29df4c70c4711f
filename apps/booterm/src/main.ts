import { connectBackend, runService } from '@boocode/service';
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
      listen: { port: config.port, host: config.host },
      announce: () => `booterm is running on http://${config.host}:${config.port}/`,
      release: () => sql.end({ timeout: 5 }),
      shutdownNote: 'terminals keep running in tmux',
    };
  },
});
