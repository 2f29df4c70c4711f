import { mkdir } from 'node:fs/promises';
import { migrate, connectDatabase } from '@boocode/db';
import { loadOrCreateToken } from '@boocode/service';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const sql = await connectDatabase(config);
  // A no-op when the server started us (it migrated first); needed when run alone.
  await migrate(sql);
  const token = await loadOrCreateToken(config.home);
  const { app } = await buildApp({ config, sql, token });

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${why}: shutting down (terminals keep running in tmux)`);
    await app.close();
    await sql.end({ timeout: 5 });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Started by the server with an IPC channel: when the server goes, so do we.
  if (process.connected) process.on('disconnect', () => void stop('server gone'));

  await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`booterm is running on http://${config.host}:${config.port}/\n`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`booterm: bad configuration: ${err.message}\n`);
  } else {
    process.stderr.write(
      `booterm: could not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  }
  process.exit(1);
});
