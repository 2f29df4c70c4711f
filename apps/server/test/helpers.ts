import WebSocket from 'ws';
import { ServerFrame, type ChatEvent, type Message } from '@boocode/protocol';
import { freePort, startModelServer, type ModelServer, type TestDatabase } from '@boocode/testkit';
import { testDatabase } from '@boocode/testkit/vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Prices } from '../src/chat/pricing.ts';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';

export interface Harness extends App {
  db: TestDatabase;
  model: ModelServer;
  base: string;
  origin: string;
  /** fetch against the server with the token, JSON in and out. */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  opts: {
    model?: ModelServer;
    db?: TestDatabase;
    slowConsumerBytes?: number;
    prices?: Prices;
    /** AUTH_MODE=proxy: what the server vouches for requests to its services with. */
    serviceToken?: string;
  } = {},
): Promise<Harness> {
  const db = opts.db ?? (await testDatabase());
  const model = opts.model ?? (await startModelServer());
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    BOOCODE_HOME: '/nonexistent',
    LLM_BASE_URL: model.url,
    LOG_LEVEL: 'silent',
    BOOCODE_WEB_DIST: '/nonexistent',
    ...env,
  });
  const built = await buildApp({
    config,
    sql: db.sql,
    token: TOKEN,
    slowConsumerBytes: opts.slowConsumerBytes,
    prices: opts.prices,
    serviceToken: opts.serviceToken,
  });
  await built.app.listen({ port, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  return {
    ...built,
    db,
    model,
    base,
    origin: base,
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(base + path, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          origin: base,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async close() {
      await built.app.close();
      if (!opts.model) await model.close();
      if (!opts.db) await db.drop();
    },
  };
}

/** A browser-like WebSocket client that records every frame. */
export class WsClient {
  readonly frames: ServerFrame[] = [];
  private waiters: { pred: (f: ServerFrame) => boolean; resolve: (f: ServerFrame) => void }[] = [];
  readonly closed: Promise<{ code: number }>;
  /** After close() nothing more is recorded, as a page that went away sees nothing more. */
  private closing = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      if (this.closing) return;
      const frame = ServerFrame.parse(JSON.parse(String(data)));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.pred(frame) ? (w.resolve(frame), false) : true));
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
  }

  static open(
    h: Pick<Harness, 'base' | 'origin'>,
    headers: Record<string, string> = {},
  ): Promise<WsClient> {
    const ws = new WebSocket(`${h.base.replace('http', 'ws')}/api/ws`, {
      headers: { authorization: `Bearer ${TOKEN}`, origin: h.origin, ...headers },
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new WsClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  subscribe(chatId: string, afterSeq: number): void {
    this.ws.send(JSON.stringify({ type: 'chat.subscribe', chatId, afterSeq }));
  }

  /** Resolves with the first frame (already received or to come) that matches. */
  waitFor(pred: (f: ServerFrame) => boolean): Promise<ServerFrame> {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  /**
   * Resolves once the message's text so far contains `text`. Deltas that arrive in one burst
   * go out as one, so a token is looked for in the whole text, never in a single delta.
   */
  async waitForText(messageId: string, text: string): Promise<void> {
    let sofar = '';
    await this.waitFor((f) => {
      if (f.type !== 'chat.part.delta' || f.messageId !== messageId || f.part !== 'text')
        return false;
      sofar += f.text;
      return sofar.includes(text);
    });
  }

  waitForFinish(messageId: string): Promise<ServerFrame> {
    return this.waitFor((f) => f.type === 'chat.message.finished' && f.messageId === messageId);
  }

  events(chatId: string): ChatEvent[] {
    return this.frames.filter((f): f is ChatEvent => 'seq' in f && f.chatId === chatId);
  }

  close(): void {
    this.closing = true;
    this.ws.close();
  }
}

/** The text of all `text` deltas of one message, in order. */
export function textOf(events: ChatEvent[], messageId: string, part = 'text'): string {
  return events
    .filter((e) => e.type === 'chat.part.delta' && e.messageId === messageId && e.part === part)
    .map((e) => (e.type === 'chat.part.delta' ? e.text : ''))
    .join('');
}

/** The text of a message's first part (all of it for a plain reply). */
export function partText(m: Pick<Message, 'parts'>): string {
  const p = m.parts[0];
  return p && 'text' in p ? p.text : '';
}
