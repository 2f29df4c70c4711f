import { chmod, lstat, mkdir } from 'node:fs/promises';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import path from 'node:path';

/**
 * Where the server reaches booterm or coder: a unix socket in the 0700 run folder of
 * `$BOOCODE_HOME` when the server started them (no other local user can listen there in their
 * stead), or a loopback URL when they were started on their own.
 */
export type ServiceAddress = { socketPath: string } | { url: string };

/**
 * The services the server runs, each on a socket of its own in `$BOOCODE_HOME/run`: a folder of
 * ours alone (0700, not a link), made if missing.
 */
export async function serviceSockets(
  home: string,
): Promise<{ booterm: ServiceAddress; coder: ServiceAddress }> {
  const dir = path.join(home, 'run');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory() || st.uid !== process.getuid?.()) {
    throw new Error(`${dir} must be a folder of the user boocode runs as`);
  }
  await chmod(dir, 0o700);
  const at = (name: string) => {
    const p = path.join(dir, `${name}.sock`);
    // A unix socket's path holds at most 107 bytes.
    if (Buffer.byteLength(p) > 100) {
      throw new Error(`BOOCODE_HOME is too long a path for the services' sockets (${p})`);
    }
    return { socketPath: p };
  };
  return { booterm: at('booterm'), coder: at('coder') };
}

/** The `upstream` of @fastify/http-proxy (reply-from reads `unix+http://<encoded path>`). */
export function proxyBase(a: ServiceAddress): string {
  return 'url' in a ? a.url : `unix+http://${encodeURIComponent(a.socketPath)}`;
}

/** A TCP connection to the service, for joining WebSockets. */
export function connectTo(a: ServiceAddress): Socket {
  if ('socketPath' in a) return connect({ path: a.socketPath });
  const u = new URL(a.url);
  return connect(Number(u.port), u.hostname);
}

/** Said in logs and messages: the socket's path or the URL. */
export function describe(a: ServiceAddress): string {
  return 'url' in a ? a.url : a.socketPath;
}

/** Whether `GET /api/health` answers 200 within `timeoutMs`. */
export function healthy(a: ServiceAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const target =
      'url' in a
        ? new URL('/api/health', a.url)
        : { socketPath: a.socketPath, path: '/api/health', host: 'localhost' };
    const req = http.get(target as http.RequestOptions, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(timeoutMs, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
