import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbedded } from '@boocode/db';
import { freePort } from './ports.ts';

interface Project {
  provide(key: 'pgUrl', value: string): void;
}

/**
 * vitest globalSetup: one real PostgreSQL 16 cluster per test run, in a temp dir,
 * on a free loopback port. Test files make their own database on it.
 */
export default async function setup(project: Project): Promise<() => Promise<void>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-pg-'));
  const cluster = await startEmbedded({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  project.provide('pgUrl', cluster.url);
  return async () => {
    await cluster.stop();
    await rm(cluster.clusterDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  };
}
