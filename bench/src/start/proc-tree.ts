import { readdirSync, readFileSync } from 'node:fs';

/** One process of a tree: its resident memory (MB) and its command line. */
export interface TreeProcess {
  pid: number;
  rssMb: number;
  /** Its proportional share: pages shared with others (node's own code) divided among them. */
  pssMb: number;
  command: string;
}

/** The parent of `pid`, or null when it is gone (Linux: /proc/<pid>/stat). */
function parentOf(pid: string): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command, which may itself hold spaces and parentheses.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function measure(pid: number): TreeProcess | null {
  try {
    const kb = (text: string, field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    const rssKb = kb(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    const pssKb = kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, rssMb: rssKb / 1024, pssMb: pssKb / 1024, command };
  } catch {
    return null; // gone meanwhile
  }
}

/** `root` and every process below it, now. */
export function processTree(root: number): TreeProcess[] {
  const children = new Map<number, number[]>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(pid)]);
  }
  const out: TreeProcess[] = [];
  const walk = (pid: number) => {
    const p = measure(pid);
    if (!p) return;
    out.push(p);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

/** PostgreSQL's own processes (the postmaster and its backends), left out of our figure. */
export const isPostgres = (p: TreeProcess) =>
  /(^|\/)postgres(\s|$)|^postgres: /.test(p.command) && !/\bnode\b/.test(p.command);
