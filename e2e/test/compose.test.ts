// compose.yaml as Compose itself reads it: `docker-compose config` (Debian's docker-compose
// 1.29, installed by .ci/run) or `docker compose config` (the v2 plugin), which validate the
// file and print it normalized, variables filled in. No container is started: no image can be
// pulled here (deploy/try-image.sh builds and runs the image, opt-in).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The compose command this machine has, or null. */
function composeCommand(): string[] | null {
  for (const cmd of [['docker-compose'], ['docker', 'compose']]) {
    const r = spawnSync(cmd[0]!, [...cmd.slice(1), 'version'], { stdio: 'ignore' });
    if (r.status === 0) return cmd;
  }
  return null;
}
const compose = composeCommand();
if (!compose) {
  console.log('skipping the compose.yaml tests: neither docker-compose nor docker compose is here');
}

// Compose also reads a .env beside the file: an empty one stands in for it, so a developer's own
// .env changes nothing here.
const emptyEnvFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'boocode-compose-')), 'env');
writeFileSync(emptyEnvFile, '');

interface Service {
  image?: string;
  environment?: Record<string, string>;
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: (string | { type: string; source: string; target: string })[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  extra_hosts?: string[] | Record<string, string>;
}
interface Config {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** compose.yaml normalized by Compose, with only `vars` (and PATH, HOME) in its environment. */
function config(vars: Record<string, string> = {}): Config {
  const out = execFileSync(
    compose![0]!,
    [...compose!.slice(1), '--env-file', emptyEnvFile, '-f', 'compose.yaml', 'config'],
    {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...vars },
      encoding: 'utf8',
    },
  );
  return parse(out) as Config;
}

/** Ports as `host_ip:published:target`, whichever form this Compose prints. */
const ports = (s: Service) =>
  (s.ports ?? []).map((p) =>
    typeof p === 'string'
      ? p.replace(/\/tcp$/, '')
      : `${p.host_ip ?? ''}:${String(p.published)}:${p.target}`,
  );
/** Volumes as `source:target`. */
const volumes = (s: Service) =>
  (s.volumes ?? []).map((v) =>
    typeof v === 'string' ? v.replace(/:rw$/, '') : `${v.source}:${v.target}`,
  );
const extraHosts = (s: Service) =>
  Array.isArray(s.extra_hosts)
    ? s.extra_hosts.map((h) => h.replace('=', ':'))
    : Object.entries(s.extra_hosts ?? {}).map(([k, v]) => `${k}:${v}`);

describe.skipIf(!compose)('compose.yaml', () => {
  it('publishes boocode on loopback only, and PostgreSQL not at all', () => {
    const { services } = config();
    expect(ports(services.boocode!)).toEqual(['127.0.0.1:9500:9500']);
    expect(services.boocode!.environment!.PORT).toBe('9500');
    expect(services.postgres!.ports ?? []).toEqual([]);
  });

  it('starts boocode once PostgreSQL 16 is healthy, reached by DATABASE_URL with its password', () => {
    const { services } = config();
    const pg = services.postgres!;
    expect(pg.image).toBe('postgres:16');
    expect(String(pg.healthcheck!.test)).toContain('pg_isready -U boocode -d boocode');
    expect(services.boocode!.depends_on!.postgres!.condition).toBe('service_healthy');
    const url = new URL(services.boocode!.environment!.DATABASE_URL!);
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(pg.environment!.POSTGRES_USER);
    expect(url.pathname).toBe(`/${pg.environment!.POSTGRES_DB}`);
    expect(url.password).toBe(pg.environment!.POSTGRES_PASSWORD);
  });

  it('keeps boocode home and the database in named volumes, projects from BOOCODE_PROJECTS_DIR', () => {
    const { services, volumes: named } = config({ BOOCODE_PROJECTS_DIR: '/srv/code' });
    expect(Object.keys(named ?? {}).sort()).toEqual(['boocode-home', 'postgres-data']);
    expect(volumes(services.boocode!).sort()).toEqual([
      '/srv/code:/projects',
      'boocode-home:/data',
    ]);
    expect(volumes(services.postgres!)).toEqual(['postgres-data:/var/lib/postgresql/data']);
    // Unset, a folder beside the file: never the whole host.
    expect(volumes(config().services.boocode!)).toContain(
      `${path.join(root, 'projects')}:/projects`,
    );
  });

  it('passes the port, the password, the model endpoint and the projects through', () => {
    const { services } = config({
      BOOCODE_PORT: '9600',
      BOOCODE_DB_PASSWORD: 'not-the-default',
      LLM_BASE_URL: 'http://host.docker.internal:11434',
      LLM_API_KEY: 'sk-test',
      BOOCODE_PROJECTS: '/projects/app:/projects/lib',
    });
    const env = services.boocode!.environment!;
    expect(ports(services.boocode!)).toEqual(['127.0.0.1:9600:9600']);
    expect(env.PORT).toBe('9600');
    expect(new URL(env.DATABASE_URL!).password).toBe('not-the-default');
    expect(services.postgres!.environment!.POSTGRES_PASSWORD).toBe('not-the-default');
    expect(env.LLM_BASE_URL).toBe('http://host.docker.internal:11434');
    expect(env.LLM_API_KEY).toBe('sk-test');
    expect(env.BOOCODE_PROJECTS).toBe('/projects/app:/projects/lib');
  });

  it('reaches a model server on the host as host.docker.internal by default', () => {
    const boocode = config().services.boocode!;
    expect(extraHosts(boocode)).toContain('host.docker.internal:host-gateway');
    expect(new URL(boocode.environment!.LLM_BASE_URL!).hostname).toBe('host.docker.internal');
  });

  it('names its images with a tag, none latest', () => {
    for (const s of Object.values(config().services)) {
      expect(s.image).toMatch(/^[^:]+:(?!latest$)[\w.-]+$/);
    }
  });
});
