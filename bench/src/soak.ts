// bench/soak: 20 chat streams and 10 printing terminals for SOAK_SECONDS (60), while 100 sockets
// are dropped at random, booterm is killed once, the embedded PostgreSQL's postmaster once and
// the server itself once (each started again: booterm by the server, PostgreSQL by the server,
// the server by us as its supervisor would). Then every reply is read back and every terminal
// asked to answer. Bounded: the load stops at the end, every wait has a limit.
import { wordTokens } from '@boocode/testkit';
import { startModelServerProcess, type BenchEnv } from './env.ts';
import { emptyTally, SoakChat, type Target } from './soak/chat-load.ts';
import { SoakServer } from './soak/soak-server.ts';
import { SoakTerm } from './soak/term-load.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CHATS = 20;
const TERMINALS = 10;
const DROPS = 100;
/** Each reply: 150 tokens, 5 ms apart (~0.8 s). */
const TOKENS = 150;
const DELAY_MS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  xs.length
    ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!
    : NaN;

export async function soak(_env: BenchEnv): Promise<void> {
  const model = await startModelServerProcess(TOKENS, DELAY_MS);
  const server = await SoakServer.start(model.url);
  const target: Target = {
    get base() {
      return server.base;
    },
    get headers() {
      return server.headers;
    },
  };
  const tally = emptyTally();
  const chats: SoakChat[] = [];
  const terms: SoakTerm[] = [];
  const faults: string[] = [];
  const rss = {
    start: { rssMb: 0, heapMb: 0 },
    peak: 0,
    rounds: [] as { rssMb: number; heapMb: number }[],
  };
  try {
    const expected = wordTokens(TOKENS).join('');
    for (let i = 0; i < CHATS; i++) {
      const res = await fetch(`${target.base}/api/chats`, {
        method: 'POST',
        headers: { ...target.headers, 'content-type': 'application/json' },
        body: '{}',
      });
      const { id } = (await res.json()) as { id: string };
      chats.push(new SoakChat(target, id, expected, tally));
    }
    for (let i = 0; i < TERMINALS; i++) terms.push(await SoakTerm.create(target));
    rss.start = await server.afterGc();
    const runs = chats.map((c) => c.run());

    const t0 = performance.now();
    const at = (f: number) => t0 + SECONDS * 1000 * f;
    const plan: { when: number; what: string; run: () => Promise<void> }[] = [
      { when: at(0.25), what: 'booterm killed', run: async () => void server.killBooterm() },
      {
        when: at(0.5),
        what: 'postmaster killed',
        run: async () => {
          const running = server.waitForOutput(/PostgreSQL is running again/);
          server.killPostmaster();
          await running;
        },
      },
      {
        when: at(0.75),
        what: 'server killed and started again',
        run: () => server.crashAndRestart(),
      },
    ];
    let drops = 0;
    let round = 0;
    // Drops at even times over the run; faults when due; a full GC every tenth of the run.
    while (performance.now() < at(1)) {
      await sleep(100);
      for (; drops < DROPS && performance.now() >= at(drops / DROPS); drops++) {
        const all = [...chats, ...terms];
        all[Math.floor(Math.random() * all.length)]!.drop();
      }
      const due = plan.find((p) => p.when <= performance.now());
      if (due) {
        plan.splice(plan.indexOf(due), 1);
        const t = performance.now();
        await due.run();
        const back = performance.now() - t;
        faults.push(
          `${due.what} at ${((t - t0) / 1000).toFixed(0)} s, back in ${back.toFixed(0)} ms`,
        );
      }
      rss.peak = Math.max(rss.peak, server.rssMb());
      if (performance.now() >= at((round + 1) / 10)) {
        round++;
        rss.rounds.push(await server.afterGc());
      }
    }
    for (const c of chats) c.stop();
    await Promise.race([Promise.all(runs), sleep(60_000)]);
    const alive = await Promise.all(terms.map((t, i) => t.answers(i + 2)));
    const end = await server.afterGc();

    const p = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);
    console.log(
      `soak: ${CHATS} chats and ${TERMINALS} terminals for ${SECONDS} s, ${drops} socket drops`,
    );
    for (const f of faults) console.log(`  fault: ${f}`);
    p(
      'replies checked (complete / interrupted)',
      `${tally.checked} (${tally.complete} / ${tally.interrupted})`,
    );
    p('replies with a token lost or doubled', `${tally.lostOrDoubled} (goal 0)`);
    p('replies left neither finished nor interrupted', `${tally.leftOpen} (goal 0)`);
    p('replies whose end the socket never told', `${tally.untold}`);
    p('resyncs asked by the server', `${tally.resyncs}`);
    p(
      'terminals that did not come back with a shell',
      `${alive.filter((a) => !a).length} (goal 0)`,
    );
    p(
      'terminal reconnects, output through them',
      `${terms.reduce((n, t) => n + t.reconnects, 0)}, ${(terms.reduce((n, t) => n + t.bytes, 0) / 1e6).toFixed(1)} MB`,
    );
    p(
      'time to first token p50 / p99',
      `${pct(tally.ttftMs, 0.5).toFixed(0)} / ${pct(tally.ttftMs, 0.99).toFixed(0)} ms`,
    );
    const mem = (m: { rssMb: number; heapMb: number }) =>
      `${m.rssMb.toFixed(0)}/${m.heapMb.toFixed(0)}`;
    p('server RSS/heap after GC (MB): start, end', `${mem(rss.start)}, ${mem(end)}`);
    p('server RSS peak (either process)', `${rss.peak.toFixed(0)} MB`);
    p('server RSS/heap after GC, each tenth of the run', rss.rounds.map(mem).join(' '));
    console.log('  errors seen by the clients (each during a fault above):');
    for (const [k, n] of [...tally.errors].sort((a, b) => b[1] - a[1]))
      console.log(`    ${String(n).padStart(5)}  ${k}`);
  } finally {
    for (const c of chats) c.close();
    for (const t of terms) t.close();
    await server.stop();
    await model.stop();
  }
}
