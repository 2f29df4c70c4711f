import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot } from '@boocode/protocol';
import {
  freePort,
  makeGitRepo,
  startModelServer,
  startServerProcess,
  wordTokens,
  type ModelServer,
  type TestDatabase,
} from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { partText, startHarness, textOf, WsClient } from './helpers.ts';

let db: TestDatabase;
let model: ModelServer;
let home: string;
beforeAll(async () => {
  db = await testDatabase();
  model = await startModelServer();
  home = await mkdtemp(path.join(os.tmpdir(), 'boocode-home-'));
});
afterAll(async () => {
  await model.close();
  await db.drop();
  await rm(home, { recursive: true, force: true });
});

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** Starts the real server process; resolves with the URL it prints. */
function startServer(port: number, env: Record<string, string> = {}) {
  return startServerProcess(appDir, {
    PORT: String(port),
    BOOCODE_HOME: home,
    DATABASE_URL: db.url,
    LLM_BASE_URL: model.url,
    ...env,
  });
}

async function api<T>(url: URL, method: string, p: string, body?: unknown): Promise<T> {
  const token = url.searchParams.get('token')!;
  const res = await fetch(new URL(p, url), {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      origin: url.origin,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

describe('a restart in the middle of a reply', () => {
  it('prints the URL with its token, and after a crash keeps the partial reply marked interrupted', async () => {
    const port = await freePort();
    const first = await startServer(port);
    expect(first.url.href).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[\\w-]{40,}$`),
    );

    model.setScript([{ content: wordTokens(5000), delayMs: 2 }]);
    const chat = await api<Chat>(first.url, 'POST', '/api/chats', {});
    const { messageId } = await api<{ messageId: string }>(
      first.url,
      'POST',
      `/api/chats/${chat.id}/messages`,
      {
        content: 'long one',
      },
    );
    // Wait until some of the reply is in the database, then kill without warning.
    let partial = '';
    for (let i = 0; i < 200 && partial.length < 200; i++) {
      const s = await api<ChatSnapshot>(first.url, 'GET', `/api/chats/${chat.id}`);
      partial =
        (
          await db.sql<
            { parts: { text: string }[] }[]
          >`select parts from messages where id = ${messageId}`
        )[0]?.parts[0]?.text ?? '';
      expect(s.running).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
    }
    await first.stop('SIGKILL');

    const second = await startServer(port);
    const snap = await api<ChatSnapshot>(second.url, 'GET', `/api/chats/${chat.id}`);
    const reply = snap.messages.find((m) => m.id === messageId)!;
    expect(reply.status).toBe('interrupted');
    expect(snap.running).toBe(false);
    const text = partText(reply);
    expect(text.length).toBeGreaterThanOrEqual(partial.length);
    expect(wordTokens(5000).join('').startsWith(text)).toBe(true);
    await second.stop();
  });

  it('on a clean shutdown, ends the running reply as interrupted and tells the watchers', async () => {
    const h = await startHarness({}, { db, model });
    model.setScript([{ content: wordTokens(5000), delayMs: 2 }]);
    const chat = (await h.api<Chat>('POST', '/api/chats', {})).body;
    const ws = await WsClient.open(h);
    ws.subscribe(chat.id, 0);
    const { messageId } = (
      await h.api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, { content: 'x' })
    ).body;
    await ws.waitForText(messageId, 't10 ');
    const closing = h.close();
    expect(await ws.waitForFinish(messageId)).toMatchObject({ status: 'interrupted' });
    await closing;
    const [row] = await db.sql<{ status: string; parts: { text: string }[] }[]>`
      select status, parts from messages where id = ${messageId}`;
    expect(row!.status).toBe('interrupted');
    expect(row!.parts[0]!.text).toBe(textOf(ws.events(chat.id), messageId));
  });
});

describe('started by systemd', () => {
  it('keeps the token out of the line the journal keeps, and names the command that prints it', async () => {
    const { spawn } = await import('node:child_process');
    const { openSync, closeSync, fstatSync } = await import('node:fs');
    // The server's stdout is a file standing for the journal, named as systemd names it.
    const out = path.join(home, 'journal.log');
    const fd = openSync(out, 'w');
    const st = fstatSync(fd);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(appDir, 'src/main.ts')], {
      cwd: appDir,
      env: {
        ...process.env,
        PORT: String(await freePort()),
        BOOCODE_HOME: home,
        DATABASE_URL: db.url,
        LLM_BASE_URL: model.url,
        LOG_LEVEL: 'warn',
        JOURNAL_STREAM: `${st.dev}:${st.ino}`,
      },
      stdio: ['ignore', fd, 'ignore'],
    });
    closeSync(fd);
    const exited = new Promise((r) => child.once('exit', r));
    try {
      let line = '';
      // Bounded: the start line comes within a few seconds.
      for (let i = 0; i < 600 && !line; i++) {
        line = /boocode is running[^\n]*/.exec(await readFile(out, 'utf8'))?.[0] ?? '';
        if (!line) await new Promise((r) => setTimeout(r, 50));
      }
      const token = (await readFile(path.join(home, 'token'), 'utf8')).trim();
      expect(line).toContain('boocode url');
      expect(line).not.toContain(token);
      expect(line).not.toContain('token=');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('a terminal whose shell systemd started (its output not the journal) still gets the link', async () => {
    const server = await startServer(await freePort(), {
      INVOCATION_ID: 'a-desktop-terminal',
      JOURNAL_STREAM: '1:1',
    });
    try {
      expect(server.url.searchParams.get('token')).toBeTruthy();
    } finally {
      await server.stop();
    }
  });
});

describe('BOOCODE_PROJECTS', () => {
  it('registers the listed repositories at start, and a bad one stops the start naming the variable', async () => {
    const repo = await makeGitRepo(path.join(home, 'proj-a'));
    const server = await startServer(await freePort(), { BOOCODE_PROJECTS: repo });
    const { projects } = await api<{ projects: { path: string }[] }>(
      server.url,
      'GET',
      '/api/projects',
    );
    expect(projects.map((p) => p.path)).toContain(repo);
    await server.stop();

    await expect(startServer(await freePort(), { BOOCODE_PROJECTS: home })).rejects.toThrow(
      /BOOCODE_PROJECTS: Not a git repository/,
    );
  });
});

describe('the services behind the server', () => {
  it('are reached over unix sockets in a folder of its own: a process on their ports gets nothing', async () => {
    const { createServer } = await import('node:net');
    const { stat } = await import('node:fs/promises');
    const { execFileSync } = await import('node:child_process');
    // Another local user took the services' ports before boocode started.
    let reached = 0;
    const squatters = await Promise.all(
      [0, 1].map(async () => {
        const port = await freePort();
        const s = createServer((c) => {
          reached++;
          c.destroy();
        });
        await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
        return { s, port };
      }),
    );
    const tmuxSocket = `server-main-test-${process.pid}`;
    const server = await startServer(await freePort(), {
      BOOTERM_PORT: String(squatters[0]!.port),
      CODER_PORT: String(squatters[1]!.port),
      BOOTERM_TMUX_SOCKET: tmuxSocket,
      BOOTERM_SHELL: '/bin/bash --noprofile --norc',
    });
    try {
      const terminals = await api<{ terminals: unknown[] }>(
        server.url,
        'GET',
        '/api/term/terminals',
      );
      expect(terminals.terminals).toEqual([]);
      const pending = await api<{ changes: unknown[] }>(
        server.url,
        'GET',
        '/api/coder/pending?projectId=00000000-0000-4000-8000-000000000000',
      );
      expect(pending).toMatchObject({ code: 'not_found' });
      expect(reached).toBe(0);
      expect((await stat(path.join(home, 'run'))).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(home, 'run', 'booterm.sock'))).isSocket()).toBe(true);
    } finally {
      await server.stop();
      for (const { s } of squatters) s.close();
      try {
        execFileSync('tmux', ['-L', tmuxSocket, 'kill-server'], { stdio: 'ignore' });
      } catch {
        // no tmux server was started
      }
    }
  });
});
