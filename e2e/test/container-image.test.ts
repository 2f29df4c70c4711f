// The Dockerfile. No image is built here: building pulls node:20-bookworm-slim, and this suite
// runs where only the npm and Debian registries are reachable. What is checked instead: the
// Dockerfile read as the builder reads it (user, entrypoint, health check, tags, what is
// installed and what is dropped), and the image's own command and health check run from the
// checkout, with the image's environment, against a real database. deploy/try-image.sh builds
// and runs the image itself (podman, a debootstrap base), opt-in.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsOf, envOf, execForm, parseDockerfile } from './dockerfile.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stages = parseDockerfile(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === 'build')!;
const runs = (stage: typeof runtime) => argsOf(stage, 'RUN').join('\n');

describe('the Dockerfile', () => {
  it('runs as a user that is not root', () => {
    const user = argsOf(runtime, 'USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    // The user is made in the image, as uid 1000 (the first user of most machines).
    expect(runs(runtime)).toMatch(new RegExp(`usermod -l ${user} .* node`));
  });

  it('starts every stage from Node 20 on Debian 12, tagged, never latest', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) {
      expect(s.from).toBe('node:20-bookworm-slim');
      expect(s.from).not.toMatch(/:latest$/);
    }
  });

  it('has tini as its entrypoint and installs what terminals, search and agents run', () => {
    expect(execForm(argsOf(runtime, 'ENTRYPOINT').at(-1)!)).toEqual(['tini', '--']);
    const installed = runs(runtime);
    for (const pkg of ['tini', 'git', 'ripgrep', 'tmux', 'openssh-client']) {
      expect(installed).toMatch(new RegExp(`apt-get install[^&]*\\b${pkg}\\b`));
    }
    // No compiler in the runtime: node-pty is compiled in the build stage.
    expect(installed).not.toMatch(/\bg\+\+/);
    expect(runs(build)).toMatch(/apt-get install[^&]*python3 make g\+\+/);
  });

  it('binds every address inside the container and keeps BOOCODE_HOME on a volume', () => {
    const env = envOf(runtime);
    expect(env.HOST).toBe('0.0.0.0');
    expect(argsOf(runtime, 'VOLUME')).toContain(env.BOOCODE_HOME);
    expect(argsOf(runtime, 'EXPOSE')).toContain(env.PORT);
  });

  it('installs the locked dependencies with the pinned pnpm, production ones only in the end', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      packageManager: string;
    };
    expect(runs(build)).toContain(`npm install -g ${pkg.packageManager}`);
    const installs = runs(build).match(/pnpm install [^&\n]*/g) ?? [];
    expect(installs.length).toBeGreaterThanOrEqual(2);
    for (const i of installs) expect(i).toContain('--frozen-lockfile');
    expect(installs.at(-1)).toContain('--prod');
  });

  it('drops no workspace package that the server, booterm, coder or the CLI need', () => {
    const dropped = runs(build)
      .match(/rm -rf (node_modules [^&]*)/)![1]!
      .split(/\s+/)
      .filter(Boolean);
    const dirOf = new Map<string, string>();
    for (const dir of ['apps/server', 'apps/booterm', 'apps/coder', 'apps/cli', 'apps/web']
      .concat(['db', 'files', 'protocol', 'service', 'testkit', 'ui'].map((p) => `packages/${p}`))
      .concat(['e2e', 'bench'])) {
      const { name } = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as {
        name: string;
      };
      dirOf.set(name, dir);
    }
    // The workspace packages the running services load: their dependencies, transitively.
    const needed = new Set<string>();
    const visit = (dir: string) => {
      if (needed.has(dir)) return;
      needed.add(dir);
      const { dependencies = {} } = JSON.parse(
        readFileSync(path.join(root, dir, 'package.json'), 'utf8'),
      ) as { dependencies?: Record<string, string> };
      for (const dep of Object.keys(dependencies)) {
        const d = dirOf.get(dep);
        if (d) visit(d);
      }
    };
    for (const app of ['apps/server', 'apps/booterm', 'apps/coder', 'apps/cli']) visit(app);
    expect(dropped).toContain('packages/testkit'); // the list was found
    for (const dir of dropped) expect(needed).not.toContain(dir);
    // The web app's sources go, its build stays: the server serves apps/web/dist.
    expect(runs(build)).toMatch(/find apps\/web [^&]*! -name dist -exec rm -rf/);
  });

  it('sends no dependencies, builds or secrets to the builder', () => {
    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', '.git']) {
      expect(ignored).toContain(entry);
    }
  });
});

describe("the image's command and health check, run from the checkout", () => {
  let db: TestDatabase;
  let home: string;
  let env: Record<string, string>;
  const workdir = path.join(
    root,
    argsOf(runtime, 'WORKDIR')
      .at(-1)!
      .replace(/^\/app\/?/, ''),
  );
  const health = execForm(
    argsOf(runtime, 'HEALTHCHECK')
      .at(-1)!
      .replace(/^.*?CMD\s+/, ''),
  )!;
  const checkHealth = () =>
    new Promise<number | null>((resolve) => {
      const child = spawn(health[0]!, health.slice(1), { env, stdio: 'ignore' });
      child.on('exit', resolve);
    });

  beforeAll(async () => {
    db = await testDatabase();
    home = await mkdtemp(path.join(os.tmpdir(), 'boocode-image-'));
    // No agent CLI probed at coder's start: this test is about the start itself.
    const off = { enabled: false };
    await writeFile(
      path.join(home, 'coder-providers.json'),
      JSON.stringify({ providers: { claude: off, opencode: off, qwen: off, copilot: off } }),
    );
    env = {
      PATH: process.env.PATH ?? '',
      ...envOf(runtime),
      // The volume's place, and what compose.yaml sets.
      BOOCODE_HOME: home,
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      BOOTERM_TMUX_SOCKET: `image-${path.basename(home)}`,
      BOOTERM_SHELL: '/bin/bash --noprofile --norc',
      LOG_LEVEL: 'warn',
    };
  });
  afterAll(async () => {
    await db?.drop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('prints the URL with the token kept in BOOCODE_HOME, answers the health check, stops on SIGTERM', async () => {
    expect(health[0]).toBe('node');
    const [cmd, ...args] = execForm(argsOf(runtime, 'CMD').at(-1)!)!;
    const child = spawn(cmd!, args, { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /boocode is running: open (\S+)/.exec(out);
          if (m) resolve(new URL(m[1]!));
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void exited.then((code) => reject(new Error(`exited ${code}: ${out.slice(-2000)}`)));
      });
      // HOST=0.0.0.0 is shown as loopback: the address compose.yaml publishes it on.
      expect(url.origin).toBe(`http://127.0.0.1:${env.PORT}`);
      const token = url.searchParams.get('token');
      expect(token).toBeTruthy();
      expect((await readFile(path.join(home, 'token'), 'utf8')).trim()).toBe(token);
      expect(await checkHealth()).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    // What tini passes on when the container stops: a clean exit.
    expect(await exited).toBe(0);
    expect(await checkHealth()).not.toBe(0);
  });
});
