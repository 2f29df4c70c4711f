import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The shipped configurations (repo root `deploy/`): the tests run these very files. */
export const DEPLOY = path.resolve(import.meta.dirname, '../../../../deploy');

/** A program on PATH, or null: a proxy that is not installed skips its tests. */
export function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

export interface Proxy {
  origin: string;
  stop(): Promise<void>;
}

export const SECRET = 'proxy-secret-for-the-deploy-tests';
export const SIGN_IN = 'https://auth.example.com/';

/**
 * A stand-in for Authelia's authorization endpoints: Authelia is in neither npm nor Debian
 * (`apt-cache policy authelia`: no candidate), and what these tests check is what the proxy
 * does with its answer, which is plain HTTP as Authelia documents it. The session cookie
 * `authelia_session` says who the browser is: `alice` is signed in (200 with `Remote-User`),
 * `bypass` is let through by a bypass rule (200 naming nobody), anything else must sign in
 * (nginx's auth-request endpoint: 401 with `Location`; Caddy's forward-auth: 302).
 */
export async function startAuthelia() {
  const asked: { path: string; uri: string }[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    const session = /(?:^|;\s*)authelia_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const h = (name: string) => String(req.headers[name] ?? '');
    // nginx sends the whole original URL; Caddy its parts.
    const uri = h('x-original-url') || `${h('x-forwarded-host')}${h('x-forwarded-uri')}`;
    asked.push({ path: url, uri });
    if (session === 'alice') res.writeHead(200, { 'remote-user': 'alice' });
    else if (session === 'bypass') res.writeHead(200);
    else {
      const status = url.startsWith('/api/authz/auth-request') ? 401 : 302;
      res.writeHead(status, { location: `${SIGN_IN}?rd=${encodeURIComponent(uri)}` });
    }
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    asked,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Resolves when `re` shows in the process's output; rejects with the output if it exits. */
function readyWhen(child: ChildProcess, re: RegExp, what: string): Promise<void> {
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (re.test(out)) {
        child.off('exit', onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`${what} exited (${code}): ${out.slice(-3000)}`));
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopper(child: ChildProcess, dir: string) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
}

/**
 * `caddy run` on deploy/Caddyfile as shipped: its `{$NAME:default}` placeholders are given
 * through the environment, which is how the file is meant to be used.
 */
export async function startCaddy(port: number, boocode: string, authelia: string): Promise<Proxy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-caddy-'));
  const child = spawn(
    'caddy',
    ['run', '--adapter', 'caddyfile', '--config', `${DEPLOY}/Caddyfile`],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        XDG_DATA_HOME: dir,
        XDG_CONFIG_HOME: dir,
        CADDY_ADMIN: 'off',
        BOOCODE_SITE: `http://127.0.0.1:${port}`,
        BOOCODE: boocode,
        AUTHELIA: authelia,
        BOOCODE_PROXY_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stop = stopper(child, dir);
  try {
    await readyWhen(child, /serving initial configuration/, 'caddy');
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin: `http://127.0.0.1:${port}`, stop };
}

/** Replaces exactly one occurrence: the shipped file changing shape fails the test loudly. */
function substitute(text: string, from: RegExp, to: string): string {
  const n = text.match(new RegExp(from.source, 'g'))?.length ?? 0;
  if (n !== 1) throw new Error(`deploy/nginx/boocode.conf: ${from} found ${n} times, not once`);
  return text.replace(from, to);
}

/**
 * nginx with deploy/nginx/boocode.conf as shipped, but for what a test machine must change:
 * the listen line (a free loopback port, no TLS), the certificate lines, the two upstream
 * addresses and the secret. The site file is included in an http {} of our own, as Debian's
 * nginx.conf includes sites-enabled/, and nothing of the distribution's own config is read.
 */
export async function startNginx(port: number, boocode: string, authelia: string): Promise<Proxy> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-nginx-'));
  // As root, nginx's workers run as nobody and need to reach their temp folders.
  await chmod(dir, 0o755);
  let site = await readFile(path.join(DEPLOY, 'nginx/boocode.conf'), 'utf8');
  site = substitute(site, /listen 443 ssl http2;/, `listen 127.0.0.1:${port};`);
  site = substitute(site, /\n\s*ssl_certificate [^\n]*/, '');
  site = substitute(site, /\n\s*ssl_certificate_key [^\n]*/, '');
  site = substitute(site, /server 127\.0\.0\.1:9500;/, `server ${boocode};`);
  site = substitute(site, /server 127\.0\.0\.1:9091;/, `server ${authelia};`);
  site = substitute(site, /change-me-to-a-long-random-secret/, SECRET);
  await writeFile(path.join(dir, 'boocode.conf'), site);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
    (t) => `  ${t}_temp_path ${dir}/${t};`,
  );
  const main = [
    `pid ${dir}/nginx.pid;`,
    'daemon off;',
    'error_log stderr notice;',
    'events {}',
    'http {',
    '  access_log off;',
    ...temp,
    `  include ${dir}/boocode.conf;`,
    '}',
    '',
  ];
  await writeFile(path.join(dir, 'nginx.conf'), main.join('\n'));
  const child = spawn('nginx', ['-p', dir, '-c', `${dir}/nginx.conf`, '-e', 'stderr'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = stopper(child, dir);
  try {
    await readyWhen(child, /start worker process/, 'nginx');
  } catch (err) {
    await stop();
    throw err;
  }
  return { origin: `http://127.0.0.1:${port}`, stop };
}
