import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  createSql,
  listProjects,
  markStreamingInterrupted,
  migrate,
  startEmbedded,
  type EmbeddedCluster,
  type PostmasterEvent,
} from '@boocode/db';
import { loadOrCreateToken, runService } from '@boocode/service';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, publicBase, type Config } from './config.ts';
import { loadModelTable } from './chat/pricing.ts';
import { registerProject } from './projects.ts';
import { writesToJournal } from './journal.ts';
import { removeRunFile, writeRunFile } from './run-file.ts';
import { serviceSockets } from './service-address.ts';
import { serviceSpecs, startServices } from './services.ts';

declare const __BOOCODE_BUILT__: boolean | undefined;
const built = typeof __BOOCODE_BUILT__ !== 'undefined' && __BOOCODE_BUILT__;

await runService({ name: 'boocode', loadConfig, start });

async function start(config: Config) {
  await mkdir(config.home, { recursive: true, mode: 0o700 });
  const { prices, contextWindows } = await loadModelTable(config.home, config.modelPrices);

  // The app's logger comes later: until then a dying postmaster is only restarted.
  let log: (e: PostmasterEvent) => void = () => {};
  let cluster: EmbeddedCluster | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    cluster = await startEmbedded({
      dataDir: path.join(config.home, 'pg'),
      port: config.pgPort,
      onEvent: (e) => log(e),
    });
    databaseUrl = cluster.url;
  }
  const sql = createSql(databaseUrl);
  await migrate(sql);
  const interrupted = await markStreamingInterrupted(sql);
  for (const p of config.projects) {
    await registerProject(sql, p).catch((err: unknown) => {
      throw new ConfigError(
        `BOOCODE_PROJECTS: ${err instanceof Error ? err.message : String(err)}`,
      );
    });
  }

  // The token file also lets the server vouch for requests it forwards in proxy mode. It is
  // made before the services start, as they read it too.
  const fileToken = await loadOrCreateToken(config.home);
  // booterm and coder, each watched and restarted; they use the database just migrated.
  // On unix sockets in a folder of ours: another local user cannot take their place.
  const addresses = await serviceSockets(config.home);
  const services = startServices(serviceSpecs(config, databaseUrl, addresses));
  const token = config.authMode === 'token' ? fileToken : '';
  const { app, graph } = await buildApp({
    config,
    sql,
    token,
    prices,
    contextWindows,
    serviceToken: fileToken,
    services: addresses,
    // The bundle's parser thread is its own entry, dist/parse-worker.js (build-services.mjs
    // makes import.meta.url name this source file, in src/).
    graphWorkerUrl: built ? new URL('../dist/parse-worker.js', import.meta.url) : undefined,
  });
  log = (e) => {
    if (e.type === 'exited')
      app.log.warn(`PostgreSQL stopped (${e.signal ?? `exit ${e.code}`}); starting it again`);
    else if (e.type === 'restarted') app.log.warn(`PostgreSQL is running again (pid ${e.pid})`);
    else app.log.warn(`PostgreSQL did not start (${e.error}); next try in ${e.retryInMs} ms`);
  };
  if (interrupted)
    app.log.info(`${interrupted} reply(s) cut by the last stop are kept, marked interrupted`);

  return {
    app,
    listen: { port: config.port, host: config.host },
    announce: async () => {
      await services.ready();
      const base = publicBase(config);
      await writeRunFile(config.home, base);
      // In the journal, which others may read, the token stays in its file: `boocode url`
      // prints the link.
      const journal = writesToJournal();
      const url =
        config.authMode !== 'token'
          ? base
          : journal
            ? `${base} (run \`boocode url\` for the link with the token)`
            : `${base}?token=${token}`;
      // The code graph of every project, one after the other, once the line below is out.
      setImmediate(() => {
        void (async () => {
          for (const p of await listProjects(sql)) await graph.track(p);
        })().catch((err: unknown) => app.log.warn({ err }, 'code graph: start'));
      });
      // The one line a user needs, set apart from the services' log lines.
      return `\nboocode is running: open ${url}\n`;
    },
    release: async () => {
      await removeRunFile(config.home);
      await services.stop();
      await sql.end({ timeout: 5 });
      await cluster?.stop();
    },
  };
}
