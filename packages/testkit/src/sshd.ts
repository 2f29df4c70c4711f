import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.ts';

export const SSHD_PATH = '/usr/sbin/sshd';

export interface Sshd {
  port: number;
  /** The user it lets in (the one running the tests). */
  user: string;
  /** A private key authorised for `user`. */
  identityFile: string;
  stop(): Promise<void>;
}

/** Why a test that needs sshd must skip, or null when it can run. */
export function sshdMissing(): string | null {
  if (!existsSync(SSHD_PATH)) return `${SSHD_PATH} is not installed (Debian: openssh-server)`;
  if (!existsSync('/usr/bin/ssh-keygen')) return 'ssh-keygen is not installed';
  return null;
}

/**
 * A real OpenSSH server on a free loopback port, with a temporary host key and one
 * temporary user key, authorised for the current user. Public keys only.
 * Sessions get an empty temporary HOME, so the user's own rc files (personal, sometimes
 * slow) are not run: the remote shell answers at once.
 */
export async function startSshd(): Promise<Sshd> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-sshd-'));
  const keygen = (file: string) =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'boocode-test', '-f', file]);
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'id_ed25519'));
  await writeFile(
    path.join(dir, 'authorized_keys'),
    await readFile(path.join(dir, 'id_ed25519.pub')),
    { mode: 0o600 },
  );
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${path.join(dir, 'host_key')}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
    'AuthenticationMethods publickey',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    // The temp dir is world-readable /tmp: sshd's ownership checks would refuse it.
    'StrictModes no',
    'UsePAM no',
    'PrintMotd no',
    'PrintLastLog no',
    `SetEnv HOME=${path.join(dir, 'home')}`,
  ].join('\n');
  await mkdir(path.join(dir, 'home'));
  const configFile = path.join(dir, 'sshd_config');
  await writeFile(configFile, `${config}\n`);
  // sshd wants its privilege-separation directory.
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const child: ChildProcess = spawn(SSHD_PATH, ['-D', '-e', '-f', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server listening on')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${log}`)));
  });
  return {
    port,
    user: os.userInfo().username,
    identityFile: path.join(dir, 'id_ed25519'),
    async stop() {
      process.off('exit', kill);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
