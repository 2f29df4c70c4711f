import { readdirSync, readFileSync } from 'node:fs';

/** One process of a tree: its resident memory (MB) and its command line. */
export interface TreeProcess {
  pid: number;
  rssMb: number;
  command: string;
}

function read(pid: string): { ppid: number; rssMb: number; command: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command, which may itself hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { ppid, rssMb: rssKb / 1024, command };
  } catch {
    return null; // gone meanwhile, or a kernel thread
  }
}

/** `root` and every process below it, now (Linux: /proc). */
export function processTree(root: number): TreeProcess[] {
  const all = new Map<number, { ppid: number; rssMb: number; command: string }>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const p = read(pid);
    if (p) all.set(Number(pid), p);
  }
  const out: TreeProcess[] = [];
  const walk = (pid: number) => {
    const p = all.get(pid);
    if (!p) return;
    out.push({ pid, rssMb: p.rssMb, command: p.command });
    for (const [child, c] of all) if (c.ppid === pid) walk(child);
  };
  walk(root);
  return out;
}

/** PostgreSQL's own processes (the postmaster and its backends), left out of our figure. */
export const isPostgres = (p: TreeProcess) =>
  /(^|\/)postgres(\s|$)|^postgres: /.test(p.command) && !/\bnode\b/.test(p.command);
