// (c) reattach: from the socket's open to the screen back, scrollback first.
import { median } from '../env.ts';
import type { TermServer } from './setup.ts';

export async function reattach(s: TermServer, rounds: number): Promise<void> {
  const t = await s.create();
  const first = await s.open(t.id);
  first.type('seq 1 3000; echo SCREEN-$((1+1))');
  await first.waitForOutput('SCREEN-2');
  await first.close();
  const toReplayed: number[] = [];
  const toScreen: number[] = [];
  let replayBytes = 0;
  for (let i = 0; i < rounds; i++) {
    const c = await s.open(t.id);
    await c.waitForControl('terminal.replayed');
    toReplayed.push(performance.now() - c.openedAt);
    await c.until(() => c.parts().live.includes('SCREEN-2'), 'the screen');
    toScreen.push(performance.now() - c.openedAt);
    const replayed = c.controls.find((f) => f.type === 'terminal.replayed');
    replayBytes = replayed?.type === 'terminal.replayed' ? replayed.bytes : 0;
    const history = c.parts().replay;
    if (!history.includes('\r\n1\r\n') && !history.startsWith('1\r\n')) {
      console.log('  (c) warning: the scrollback did not start at line 1');
    }
    await c.close();
  }
  console.log(`terminal (c): reattach, median of ${rounds} (3,000 lines of scrollback)`);
  console.log(
    `  socket open -> scrollback sent: ${median(toReplayed).toFixed(1)} ms (${(replayBytes / 1024).toFixed(0)} KB)`,
  );
  console.log(`  socket open -> screen back:     ${median(toScreen).toFixed(1)} ms (goal <= 200)`);
}
