// (a) `cat` of a large file in a boocode terminal, a WebSocket client attached (acking as
//     xterm.js does), through the server, vs the same in a tmux session read by node-pty alone.
import { execFileSync } from 'node:child_process';
import { median } from '../env.ts';
import { memory } from './figures.ts';
import { PtyProcess, quiet } from './pty-process.ts';
import { SHELL, type TermServer } from './setup.ts';

/** Long enough for a slow, loaded machine: this waits on one large `cat`. */
const CAT_MS = 600_000;

export async function catThroughput(
  s: TermServer,
  file: { path: string; mb: number },
  rounds: number,
  baseSocket: string,
): Promise<void> {
  const viaWs: number[] = [];
  const viaPty: number[] = [];
  for (let i = 1; i <= rounds; i++) {
    const t = await s.create();
    const c = await s.open(t.id);
    await c.until(() => c.text.includes('$') || c.text.includes('#'), 'a prompt');
    // The marker is computed by the shell, so the typed command line does not contain it.
    const t0 = performance.now();
    c.type(`cat ${file.path}; echo END-$((${i}))`);
    await c.waitForOutput(`END-${i}`, CAT_MS);
    viaWs.push(performance.now() - t0);
    if (process.env.BENCH_TRACE) console.log(`  (a) ${c.bytes} bytes in ${c.frames.length} frames`);
    await c.close();
    viaPty.push(await catInPtyTmux(baseSocket, s.booterm.tmuxConf, file.path, i));
  }
  const rss = memory(s.booterm.pid);
  const ws = median(viaWs);
  const alone = median(viaPty);
  console.log(`terminal (a): cat of a ${file.mb} MB file, median of ${rounds}`);
  console.log(`  tmux attached by node-pty alone:       ${alone.toFixed(0)} ms`);
  console.log(`  boocode terminal, WebSocket via server: ${ws.toFixed(0)} ms`);
  console.log(`  ratio: ${(ws / alone).toFixed(3)} (goal <= 1.2)`);
  console.log(`  booterm RSS now ${rss.rssMb} MB, peak ${rss.peakMb} MB`);
}

/** The baseline: the same `cat` in a tmux session (booterm's settings) read by node-pty. */
async function catInPtyTmux(socket: string, conf: string, file: string, n: number) {
  const name = `base-${n}`;
  const env = { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' } as Record<string, string>;
  delete env.TMUX;
  const args = ['-u', '-L', socket, '-f', conf, 'new-session', '-A', '-s', name];
  const p = new PtyProcess('tmux', [...args, '-x', '80', '-y', '24', ...SHELL.split(' ')], env);
  await p.until(() => p.text.length > 0);
  await quiet(p, 300);
  const t0 = performance.now();
  p.write(`cat ${file}; echo BASE-$((${n}))\r`);
  await p.waitForOutput(`BASE-${n}`);
  const took = performance.now() - t0;
  if (process.env.BENCH_TRACE) console.log(`  (a) baseline: ${p.text.length} bytes`);
  p.kill();
  try {
    execFileSync('tmux', ['-L', socket, 'kill-session', '-t', `=${name}`], { stdio: 'ignore' });
  } catch {
    // gone
  }
  return took;
}
