import { mkdtemp, readFile, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Chat, ChatSnapshot } from '@boocode/protocol';
import {
  freePort,
  startModelServer,
  startServerProcess,
  wordTokens,
  type ModelServer,
} from '@boocode/testkit';
import { partText, WsClient } from './helpers.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const cleanup: string[] = [];
let model: ModelServer | null = null;
afterAll(async () => {
  await model?.close();
  for (const d of cleanup) await rm(d, { recursive: true, force: true });
});

describe('the embedded PostgreSQL killed while the server runs', () => {
  it('is started again: the running reply ends complete, written down, and the chat goes on', async () => {
    model = await startModelServer();
    const home = await mkdtemp(path.join(os.tmpdir(), 'boocode-pg-kill-'));
    cleanup.push(home);
    // No DATABASE_URL: the server runs its own embedded cluster in this home.
    const server = await startServerProcess(appDir, {
      PORT: String(await freePort()),
      BOOCODE_HOME: home,
      BOOCODE_PG_PORT: String(await freePort()),
      LLM_BASE_URL: model.url,
    });
    const clusterDir = await readlink(path.join(home, 'pg')).catch(() => null);
    if (clusterDir) cleanup.push(clusterDir, `${clusterDir}.pw`);
    const base = server.url.origin;
    const auth = { authorization: `Bearer ${server.token}`, origin: base };
    const api = async <T>(method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    };
    try {
      const tokens = wordTokens(3000);
      model.setScript([{ content: tokens, delayMs: 2 }]);
      const chat = (await api<Chat>('POST', '/api/chats', {})).body;
      const ws = await WsClient.open({ base, origin: base }, auth);
      ws.subscribe(chat.id, 0);
      const { messageId } = (
        await api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
          content: 'long one',
        })
      ).body;
      await ws.waitForText(messageId, 't100 ');

      const pidFile = path.join(home, 'pg', 'postmaster.pid');
      process.kill(Number((await readFile(pidFile, 'utf8')).split('\n')[0]), 'SIGKILL');
      await server.waitForOutput(/PostgreSQL is running again/);

      expect(await ws.waitForFinish(messageId)).toMatchObject({ status: 'complete' });
      // What the page saw is what is kept: the final write waited for the database.
      let reply: ChatSnapshot['messages'][number] | undefined;
      for (let i = 0; i < 100 && reply?.status !== 'complete'; i++) {
        const snap = await api<ChatSnapshot>('GET', `/api/chats/${chat.id}`);
        reply = snap.body.messages?.find((m) => m.id === messageId);
        if (reply?.status !== 'complete') await new Promise((r) => setTimeout(r, 100));
      }
      expect(reply?.status).toBe('complete');
      expect(partText(reply!)).toBe(tokens.join(''));

      model.setScript([{ content: ['still ', 'here'] }]);
      const next = await api<{ messageId: string }>('POST', `/api/chats/${chat.id}/messages`, {
        content: 'and now?',
      });
      expect(next.status).toBe(202);
      expect(await ws.waitForFinish(next.body.messageId)).toMatchObject({ status: 'complete' });
      const asked = (await api<ChatSnapshot>('GET', `/api/chats/${chat.id}`)).body.messages.filter(
        (m) => m.role === 'user' && partText(m) === 'and now?',
      );
      expect(asked).toHaveLength(1);
      ws.close();
    } finally {
      await server.stop();
    }
  });
});
