import { rm } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from './config.ts';

/** A TCP address, or the path of a unix socket. */
export type ListenTarget = { port: number; host: string } | { path: string };

/** What a service's start gives back to {@link runService}. */
export interface StartedService {
  app: FastifyInstance;
  listen: ListenTarget;
  /** After listening: the line to print for the user (may wait for more, e.g. children). */
  announce: () => string | Promise<string>;
  /** After the app has closed: let go of the rest (database, children), in order. */
  release?: () => Promise<void>;
  /** Added to the shutdown log line, e.g. what keeps running. */
  shutdownNote?: string;
}

export interface RunServiceOptions<C> {
  /** Starts the error lines: `<name>: bad configuration: ...`. */
  name: string;
  /** Parses the environment; throws ConfigError naming the bad variable. */
  loadConfig: (env: NodeJS.ProcessEnv) => C;
  /** Connects and builds the app, not listening yet. */
  start: (config: C) => Promise<StartedService>;
}

/**
 * A service's main: parses the config at boot, starts, listens, prints the announce line,
 * and shuts down gracefully on SIGINT, SIGTERM, or (started by the server with an IPC
 * channel) when the server goes. A failure to start prints one line on stderr and exits 1.
 */
export async function runService<C>(opts: RunServiceOptions<C>): Promise<void> {
  try {
    const config = opts.loadConfig(process.env);
    const s = await opts.start(config);
    let stopping = false;
    const stop = async (why: string) => {
      if (stopping) return;
      stopping = true;
      s.app.log.info(`${why}: shutting down${s.shutdownNote ? ` (${s.shutdownNote})` : ''}`);
      try {
        await s.app.close();
        await s.release?.();
      } catch (err) {
        s.app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      }
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    if (process.connected) process.on('disconnect', () => void stop('server gone'));

    // A socket file left by a process that died is in the way (its folder is ours alone).
    if ('path' in s.listen) await rm(s.listen.path, { force: true });
    await s.app.listen(s.listen);
    process.stdout.write(`${await s.announce()}\n`);
  } catch (err) {
    const what = err instanceof ConfigError ? 'bad configuration' : 'could not start';
    process.stderr.write(
      `${opts.name}: ${what}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  }
}
