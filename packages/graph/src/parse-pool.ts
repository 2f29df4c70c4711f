import { Worker } from 'node:worker_threads';
import type { ParseReply, ParseRequest } from './parse-messages.ts';

/** The parser thread started from the sources (see parse-worker-tsx.mjs). */
export const SOURCE_WORKER = new URL('./parse-worker-tsx.mjs', import.meta.url);

/**
 * One parser thread, started on first use and kept; requests go in order, answered by id. A
 * thread that dies fails what it had and is started again by the next request.
 */
export class ParsePool {
  #worker: Worker | null = null;
  #pending = new Map<number, (reply: ParseReply) => void>();
  #next = 1;
  readonly #url: URL;

  constructor(url: URL = SOURCE_WORKER) {
    this.#url = url;
  }

  parse(req: Omit<ParseRequest, 'id'>): Promise<ParseReply> {
    const worker = this.#start();
    const id = this.#next++;
    // Working, it keeps the process alive; idle, it does not.
    if (this.#pending.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      worker.postMessage({ ...req, id } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.#worker;
    this.#worker = null;
    if (w) await w.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const w = new Worker(this.#url);
    w.on('message', (reply: ParseReply) => {
      const done = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) w.unref();
      done?.(reply);
    });
    const fail = (message: string) => {
      if (this.#worker === w) this.#worker = null;
      for (const [id, done] of this.#pending) done({ id, kind: 'failed', message });
      this.#pending.clear();
    };
    w.on('error', (err) => fail(`parser thread failed: ${err.message}`));
    w.on('exit', (code) => fail(`parser thread exited (${code})`));
    this.#worker = w;
    return w;
  }
}
