// bench/chat-relay: a 20,000-token streamed reply read through boocode (WS
// client) against the same stream read from the model server directly, in
// the same run. Prints the ratio (goal <= 1.10) and the time-to-first-token
// overhead in ms (goal <= 10).
import OpenAI from 'openai';
import WebSocket from 'ws';
import type { ServerFrame } from '@boocode/protocol';
import { median, startModelServerProcess, startServer, type BenchEnv } from './env.ts';

const TOKENS = 20_000;
const ROUNDS = 15;
/** The first rounds pay one-time costs (JIT, statements prepared per connection). */
const WARM_ROUNDS = 3;

interface Timing {
  total: number;
  ttft: number;
}

export async function chatRelay(env: BenchEnv): Promise<void> {
  const model = await startModelServerProcess(TOKENS);
  const db = await env.newDatabase();
  const server = await startServer({ DATABASE_URL: db.url, LLM_BASE_URL: model.url });
  const base = server.url.origin;
  const headers = {
    authorization: `Bearer ${server.token}`,
    origin: base,
    'content-type': 'application/json',
  };

  const direct = async (): Promise<Timing> => {
    const client = new OpenAI({ baseURL: model.url, apiKey: 'x', maxRetries: 0 });
    const t0 = performance.now();
    let ttft = -1;
    let n = 0;
    const stream = await client.chat.completions.create({
      model: 'scripted-small',
      messages: [{ role: 'user', content: 'go' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const c of stream) {
      if (c.choices[0]?.delta.content) {
        if (ttft < 0) ttft = performance.now() - t0;
        n++;
      }
    }
    if (n !== TOKENS) throw new Error(`direct read ${n} tokens`);
    if (process.env.BENCH_TRACE) console.log('direct ttft', ttft.toFixed(1));
    return { total: performance.now() - t0, ttft };
  };

  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, { headers });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));

  const relayed = async (): Promise<Timing> => {
    const chat = (await (
      await fetch(`${base}/api/chats`, { method: 'POST', headers, body: '{}' })
    ).json()) as {
      id: string;
    };
    ws.send(JSON.stringify({ type: 'chat.subscribe', chatId: chat.id, afterSeq: 0 }));
    let ttft = -1;
    let n = 0;
    const t0 = performance.now();
    const done = new Promise<void>((resolve, reject) => {
      const onMessage = (data: WebSocket.RawData) => {
        // As the browser does: JSON.parse, no schema on the hot path.
        const f = JSON.parse(String(data)) as ServerFrame;
        if (process.env.BENCH_TRACE && n === 0 && 'chatId' in f)
          console.log(f.type, (performance.now() - t0).toFixed(1));
        if (f.type === 'chat.part.delta' && f.chatId === chat.id && f.part === 'text') {
          if (ttft < 0) ttft = performance.now() - t0;
          n++;
        }
        if (f.type === 'chat.message.finished' && f.chatId === chat.id) {
          ws.off('message', onMessage);
          if (f.status !== 'complete') reject(new Error(`reply ended ${f.status}`));
          else resolve();
        }
      };
      ws.on('message', onMessage);
    });
    const res = await fetch(`${base}/api/chats/${chat.id}/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ content: 'go' }),
    });
    if (res.status !== 202) throw new Error(`send: HTTP ${res.status}`);
    await done;
    if (n < 1) throw new Error('no tokens relayed');
    return { total: performance.now() - t0, ttft };
  };

  // Warm both paths, then alternate so that noise falls on both alike.
  for (let i = 0; i < WARM_ROUNDS; i++) {
    await direct();
    await relayed();
  }
  const d: Timing[] = [];
  const r: Timing[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    d.push(await direct());
    r.push(await relayed());
  }
  ws.close();
  await server.stop();
  await model.stop();
  await db.drop();

  const dt = median(d.map((x) => x.total));
  const rt = median(r.map((x) => x.total));
  const ttftOverhead = median(r.map((x) => x.ttft)) - median(d.map((x) => x.ttft));
  console.log(`chat-relay: ${TOKENS} tokens, median of ${ROUNDS}`);
  console.log(`  direct from the model server: ${dt.toFixed(1)} ms`);
  console.log(`  through boocode (WS):         ${rt.toFixed(1)} ms`);
  console.log(`  ratio: ${(rt / dt).toFixed(3)} (goal <= 1.10)`);
  console.log(`  time-to-first-token overhead: ${ttftOverhead.toFixed(1)} ms (goal <= 10)`);
}
