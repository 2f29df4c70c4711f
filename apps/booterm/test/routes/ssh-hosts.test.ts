import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshHost, SshHostList, Terminal } from '@boocode/protocol';
import { freePort, plain, sshdMissing, startSshd, type Sshd } from '@boocode/testkit';
import { openTerminal, startBooterm, type Booterm } from '../helpers.ts';

const missing = sshdMissing();
if (missing) console.log(`skipping the SSH tests: ${missing}`);

describe.skipIf(missing)('ssh terminals', () => {
  let b: Booterm;
  let sshd: Sshd;
  beforeAll(async () => {
    b = await startBooterm();
    sshd = await startSshd();
  });
  afterAll(async () => {
    await b?.close();
    await sshd?.stop();
  });

  it('keeps SSH hosts: create, list, update, delete', async () => {
    const created = await b.api<SshHost>('POST', '/api/term/ssh-hosts', {
      name: 'box',
      host: 'box.example',
      user: 'me',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ port: 22, identityFile: null });
    const updated = await b.api<SshHost>('PATCH', `/api/term/ssh-hosts/${created.body.id}`, {
      port: 2222,
      identityFile: '~/.ssh/id_box',
    });
    expect(updated.body).toMatchObject({
      name: 'box',
      port: 2222,
      identityFile: '~/.ssh/id_box',
    });
    const list = await b.api<SshHostList>('GET', '/api/term/ssh-hosts');
    expect(list.body.hosts.map((h) => h.id)).toContain(created.body.id);
    expect((await b.api('DELETE', `/api/term/ssh-hosts/${created.body.id}`)).status).toBe(204);
    expect((await b.api('DELETE', `/api/term/ssh-hosts/${created.body.id}`)).status).toBe(404);
  });

  it('refuses a host that ssh would read as an option', async () => {
    const res = await b.api('POST', '/api/term/ssh-hosts', {
      name: 'x',
      host: '-oProxyCommand=touch /tmp/pwned',
      user: 'me',
    });
    expect(res.status).toBe(400);
  });

  it('opens a terminal on a host over ssh and reads a command back', async () => {
    const host = await b.api<SshHost>('POST', '/api/term/ssh-hosts', {
      name: 'loopback',
      host: '127.0.0.1',
      port: sshd.port,
      user: sshd.user,
      identityFile: sshd.identityFile,
    });
    const t = await b.api<Terminal>('POST', '/api/term/terminals', { sshHostId: host.body.id });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({ title: 'loopback', sshHostId: host.body.id });
    const c = await openTerminal(b, t.body.id);
    c.type('echo "remote-$((6*7))-$SSH_CONNECTION"');
    await c.waitForText(`remote-42-127.0.0.1`);
    // The host key was recorded on first use, in boocode's own known_hosts (maybe hashed).
    const known = await readFile(path.join(b.home, 'known_hosts'), 'utf8');
    expect(known).toMatch(/ssh-ed25519 /);
    await c.close();
  });

  it('shows why ssh could not connect: its last words stay on the screen', async () => {
    const host = await b.api<SshHost>('POST', '/api/term/ssh-hosts', {
      name: 'nobody-home',
      host: '127.0.0.1',
      port: await freePort(),
      user: sshd.user,
    });
    const t = await b.api<Terminal>('POST', '/api/term/terminals', { sshHostId: host.body.id });
    const c = await openTerminal(b, t.body.id);
    expect(await c.closed).toEqual({ code: 1000 });
    expect(c.controls.at(-1)).toEqual({ type: 'terminal.exit' });
    // After the wipe of the tmux client's exit: what the pane showed, sent again.
    expect(plain(c.text.slice(c.text.lastIndexOf('\x1b[2J')))).toMatch(/Connection refused/);
  });
});
