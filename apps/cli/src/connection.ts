import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ServerRunFile } from '@boocode/protocol';
import { unreachable } from './errors.ts';

/** Where the server is and what proves it is us. The token is never printed. */
export interface Connection {
  /** The server's base URL, ending in `/`. */
  base: URL;
  token: string;
}

/**
 * Finds the running server: `BOOCODE_URL` and `BOOCODE_TOKEN` when set, else
 * `$BOOCODE_HOME/run/server.json` (written by the server once it is ready) and
 * `$BOOCODE_HOME/token`; `BOOCODE_HOME` defaults to `~/.boocode`, as the server's does.
 */
export async function findServer(env: NodeJS.ProcessEnv = process.env): Promise<Connection> {
  const home = path.resolve(env.BOOCODE_HOME || path.join(os.homedir(), '.boocode'));
  const base = env.BOOCODE_URL ? parseUrl(env.BOOCODE_URL, 'BOOCODE_URL') : await runUrl(home);
  const token = env.BOOCODE_TOKEN?.trim() || (await fileToken(home));
  return { base, token };
}

async function runUrl(home: string): Promise<URL> {
  const file = path.join(home, 'run', 'server.json');
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) {
    throw unreachable(
      `boocode is not running for ${home} (no ${file}): start it with \`npx -y pnpm@10 start\`, or set BOOCODE_URL.`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const parsed = ServerRunFile.safeParse(json);
  if (!parsed.success) throw unreachable(`${file} is not a server run file; set BOOCODE_URL.`);
  return parseUrl(parsed.data.url, file);
}

async function fileToken(home: string): Promise<string> {
  const file = path.join(home, 'token');
  const token = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (!token) throw unreachable(`No token in ${file}: set BOOCODE_TOKEN or BOOCODE_HOME.`);
  return token;
}

function parseUrl(value: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw unreachable(`${from} is not a URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw unreachable(`${from} must be an http(s) URL.`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}
