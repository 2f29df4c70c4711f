import WebSocket from 'ws';
import { ChatSnapshot, ServerFrame, type Message } from '@boocode/protocol';

/** Where the soak's clients reach the server; the address and token outlive a restart. */
export interface Target {
  readonly base: string;
  readonly headers: Record<string, string>;
}

/** What every chat client found; the soak adds them up. */
export interface ChatTally {
  /** Replies read back and checked against what the model sent. */
  checked: number;
  complete: number;
  interrupted: number;
  /** A reply whose text is not what it should be: a token lost or doubled. */
  lostOrDoubled: number;
  /** A reply that ended neither finished nor marked interrupted. */
  leftOpen: number;
  /** Replies whose end the socket never told: found by reading the chat back after 10 s quiet. */
  untold: number;
  ttftMs: number[];
  /** Error frames and refused requests, by code: each should have a fault to explain it. */
  errors: Map<string, number>;
  resyncs: number;
}

export function emptyTally(): ChatTally {
  return {
    ...{ checked: 0, complete: 0, interrupted: 0, lostOrDoubled: 0, leftOpen: 0, untold: 0 },
    ttftMs: [],
    errors: new Map(),
    resyncs: 0,
  };
}

const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textOf = (m: Message) => m.parts.map((p) => ('text' in p ? p.text : '')).join('');

/**
 * One chat as a page holds it: a socket that reconnects and resumes from the last seq it saw
 * (or, told to resync, from a fresh snapshot), sending a prompt after each reply and checking
 * every reply against the model's script and against what the database kept.
 */
export class SoakChat {
  private ws: WebSocket | null = null;
  private seq = 0;
  private stopped = false;
  /** Each message's text as this client has it: snapshot text plus the deltas after it. */
  private readonly texts = new Map<string, string>();
  private readonly firstDeltaAt = new Map<string, number>();
  private readonly ended = new Map<string, (status: string) => void>();
  private lastFrameAt = performance.now();

  constructor(
    private readonly target: Target,
    private readonly chatId: string,
    private readonly expected: string,
    private readonly tally: ChatTally,
  ) {}

  /** Runs replies one after another until `stop()`; then finishes the one under way. */
  async run(): Promise<void> {
    this.connect();
    while (!this.stopped) await this.oneReply();
  }

  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.stopped = true;
    this.ws?.terminate();
  }

  /** Cuts the socket as a network would; the client reconnects. */
  drop(): void {
    this.ws?.terminate();
  }

  private connect(): void {
    const ws = new WebSocket(`${this.target.base.replace('http', 'ws')}/api/ws`, {
      headers: this.target.headers,
    });
    this.ws = ws;
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'chat.subscribe', chatId: this.chatId, afterSeq: this.seq })),
    );
    ws.on('message', (d) => this.onFrame(ServerFrame.parse(JSON.parse(String(d)))));
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.ws !== ws || (this.stopped && this.ended.size === 0)) return;
      setTimeout(() => this.connect(), 100 + Math.random() * 400);
    });
  }

  private onFrame(f: ServerFrame): void {
    this.lastFrameAt = performance.now();
    if (f.type === 'error') count(this.tally.errors, `frame ${f.code}`);
    if (f.type === 'chat.resync' && f.chatId === this.chatId) void this.resync();
    if (!('seq' in f) || f.chatId !== this.chatId) return;
    this.seq = f.seq;
    if (f.type === 'chat.part.delta' && f.part === 'text') {
      this.texts.set(f.messageId, (this.texts.get(f.messageId) ?? '') + f.text);
      if (!this.firstDeltaAt.has(f.messageId))
        this.firstDeltaAt.set(f.messageId, performance.now());
    }
    if (f.type === 'chat.message.finished') this.ended.get(f.messageId)?.(f.status);
  }

  /** As the page does: the snapshot's texts replace ours, and the stream goes on from its seq. */
  private async resync(): Promise<void> {
    this.tally.resyncs++;
    const snap = await this.snapshot();
    for (const m of snap.messages) this.texts.set(m.id, textOf(m));
    this.seq = snap.seq;
    this.ws?.send(
      JSON.stringify({ type: 'chat.subscribe', chatId: this.chatId, afterSeq: this.seq }),
    );
    for (const m of snap.messages) if (m.status !== 'streaming') this.ended.get(m.id)?.(m.status);
  }

  private async oneReply(): Promise<void> {
    const sent = await this.send();
    if (!sent) return;
    const { id, at: sentAt } = sent;
    const status = await new Promise<string>((resolve) => {
      this.ended.set(id, resolve);
      void this.watch(id, resolve);
    });
    this.ended.delete(id);
    const first = this.firstDeltaAt.get(id);
    if (first !== undefined) this.tally.ttftMs.push(first - sentAt);
    await this.check(id, status);
  }

  /** Reads the chat back when its socket has said nothing for 10 s while a reply runs. */
  private async watch(id: string, resolve: (status: string) => void): Promise<void> {
    while (this.ended.has(id)) {
      await sleep(1000);
      if (!this.ended.has(id) || performance.now() - this.lastFrameAt < 10_000) continue;
      const snap = await this.snapshot();
      const m = snap.messages.find((x) => x.id === id);
      if (m && (m.status !== 'streaming' || !snap.running)) {
        this.tally.untold++;
        this.texts.set(id, textOf(m));
        return resolve(m.status);
      }
    }
  }

  private async check(id: string, told: string): Promise<void> {
    // The finished frame goes out before the last write lands: give that write 20 s.
    let m: Message | undefined;
    for (let i = 0; i < 40; i++) {
      m = (await this.snapshot()).messages.find((x) => x.id === id);
      if (m?.status !== 'streaming') break;
      await sleep(500);
    }
    this.tally.checked++;
    if (!m || m.status === 'streaming') {
      this.tally.leftOpen++;
      return;
    }
    const kept = textOf(m);
    if (m.status === 'complete') this.tally.complete++;
    else if (m.status === 'interrupted') this.tally.interrupted++;
    else count(this.tally.errors, `reply ${m.status}`);
    const right = m.status === 'complete' ? kept === this.expected : this.expected.startsWith(kept);
    // What the page shows must be what was kept, whatever the socket went through.
    const shown = this.texts.get(id) ?? '';
    if (!right || (told === m.status && shown !== kept)) this.tally.lostOrDoubled++;
  }

  /**
   * Sends a prompt, trying again while the server is away: the reply's id and when the request
   * that took it went out; null once stopped.
   */
  private async send(): Promise<{ id: string; at: number } | null> {
    for (let wait = 200; !this.stopped; wait = Math.min(wait * 2, 2000)) {
      const at = performance.now();
      const res = await this.request('POST', `/api/chats/${this.chatId}/messages`, {
        content: 'soak',
      });
      if (res?.status === 202)
        return { id: ((await res.json()) as { messageId: string }).messageId, at };
      await sleep(wait);
    }
    return null;
  }

  private async snapshot(): Promise<ChatSnapshot> {
    for (let wait = 200; ; wait = Math.min(wait * 2, 2000)) {
      const res = await this.request('GET', `/api/chats/${this.chatId}`);
      if (res?.ok) return ChatSnapshot.parse(await res.json());
      await sleep(wait);
    }
  }

  /** A request; a refusal or a failed connection is counted and gives null. */
  private async request(method: string, p: string, body?: unknown): Promise<Response | null> {
    try {
      const res = await fetch(`${this.target.base}${p}`, {
        method,
        headers: { ...this.target.headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (res.ok) return res;
      const err = (await res.json().catch(() => ({}))) as { code?: string };
      count(this.tally.errors, `http ${res.status} ${err.code ?? ''}`.trim());
      return null;
    } catch {
      count(this.tally.errors, 'no connection');
      return null;
    }
  }
}
