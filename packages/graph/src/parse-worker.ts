// The code graph's parser thread: reads, hashes and parses files off the server's event loop
// (a large file takes tens of milliseconds to parse; a chat's tokens must not wait for it).
// One request at a time per message; the indexer keeps a few in flight.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { extractGraph } from './extract.ts';
import { loadLanguage } from './parser.ts';
import type { ParseReply, ParseRequest } from './parse-messages.ts';

/** A NUL byte in the first 8 KiB: a binary file, as git decides. */
const isBinary = (buf: Buffer) => buf.subarray(0, 8192).includes(0);

async function handle(req: ParseRequest): Promise<ParseReply> {
  try {
    const buf = await readFile(req.abs);
    const hash = createHash('sha1').update(buf).digest('hex');
    if (hash === req.knownHash) return { id: req.id, kind: 'unchanged', hash };
    if (isBinary(buf)) return { id: req.id, kind: 'skipped', reason: 'binary' };
    const rows = extractGraph(await loadLanguage(req.language), buf.toString('utf8'));
    return { id: req.id, kind: 'parsed', hash, rows };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { id: req.id, kind: 'skipped', reason: 'gone' };
    return {
      id: req.id,
      kind: 'failed',
      message: err instanceof Error ? err.message : String(err),
    };
  }
}

parentPort!.on('message', (req: ParseRequest) => {
  void handle(req).then((reply) => parentPort!.postMessage(reply));
});
