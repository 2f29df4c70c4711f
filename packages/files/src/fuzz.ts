import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildSymlinkFarm, type SymlinkFarm } from './fuzz-farm.ts';
import { createPathGuard, type PathGuard, type ResolvedPath } from './path-guard.ts';

export type FuzzOptions = {
  seed?: number;
  count?: number;
  /** Paths resolved at once; the guard's file system calls run on libuv's thread pool. */
  concurrency?: number;
};

/** What a fuzz run found. `escapes` must be 0. */
export type FuzzReport = {
  seed: number;
  count: number;
  accepted: number;
  /** Refusals by error code. */
  refused: Record<string, number>;
  /** Accepted paths whose result is outside its root or goes through a symlink. */
  escapes: number;
  /** Accepted paths whose result is malformed in another way (not normalized, wrong `rel`). */
  anomalies: number;
  /** The first few escapes and anomalies, for the failure message. */
  examples: string[];
  ms: number;
};

/** A tiny seeded PRNG (mulberry32): the same seed gives the same paths on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRICK_SEGMENTS = [
  '..',
  '..',
  '..',
  '.',
  '',
  '...',
  ' ..',
  '.. ',
  'missing',
  'new.txt',
  '%2e%2e',
  '%2E%2e',
  '%2e',
  '%2f',
  '..%2f',
  '%252e%252e',
  '%c0%ae%c0%ae',
  '%u002e',
  '%20',
  '..\\..',
  '\\',
  'C:',
  'c:\\windows',
  '\\\\server\\share',
  '~',
  '~root',
  'x~',
  '．．',
  '‥',
  '\u2215..',
  '\uFF0F',
  '.\u200b.',
  '\u202e..',
  'e\u0301',
  'x'.repeat(256),
  'y'.repeat(255),
  '\0',
  'a\0b',
  '\n',
  'file:',
];

/**
 * Throws many random and adversarial paths at a guard over a symlink farm (links out, in, chains,
 * dangling, loops, a symlinked root, a prefix sibling) and checks every accepted result on its
 * own terms: inside its root's real path and free of symlinks, by walking it with lstat.
 */
export async function runPathGuardFuzz(opts: FuzzOptions = {}): Promise<FuzzReport> {
  const seed = opts.seed ?? 0x5eed;
  const count = opts.count ?? 100_000;
  const concurrency = opts.concurrency ?? 128;
  const started = performance.now();
  const farm = await buildSymlinkFarm();
  try {
    const guard = createPathGuard([
      { id: 'a', path: farm.rootLink },
      { id: 'b', path: farm.other },
    ]);
    const checker = new Checker({ a: realpathSync(farm.repo), b: realpathSync(farm.other) });
    const next = pathGenerator(farm, mulberry32(seed));
    const report: FuzzReport = {
      seed,
      count,
      accepted: 0,
      refused: {},
      escapes: 0,
      anomalies: 0,
      examples: [],
      ms: 0,
    };
    for (let done = 0; done < count; done += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, count - done) }, next);
      const results = await Promise.all(batch.map((c) => resolveCase(guard, c)));
      results.forEach((result, i) => {
        const c = batch[i] as FuzzCase;
        if (!result.ok) {
          report.refused[result.code] = (report.refused[result.code] ?? 0) + 1;
          return;
        }
        report.accepted += 1;
        const verdict = checker.check(result);
        if (verdict === 'ok') return;
        if (verdict.startsWith('escape')) report.escapes += 1;
        else report.anomalies += 1;
        if (report.examples.length < 10) {
          report.examples.push(`${verdict}: ${JSON.stringify(c)} -> ${result.abs}`);
        }
      });
    }
    report.ms = Math.round(performance.now() - started);
    return report;
  } finally {
    await rm(farm.base, { recursive: true, force: true });
  }
}

/** One generated input: a path and, sometimes, the root id it names. */
export type FuzzCase = { input: string; root?: string };

async function resolveCase(guard: PathGuard, c: FuzzCase) {
  return guard.resolve(c.input, c.root === undefined ? {} : { root: c.root });
}

/** Random and adversarial paths over a farm's names, links and tricks (seeded). */
export function pathGenerator(farm: SymlinkFarm, rand: () => number): () => FuzzCase {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const prefixes = [
    '',
    '',
    '',
    '',
    './',
    '/',
    '//',
    '///',
    `${farm.base}/`,
    `${farm.repo}/`,
    `${farm.rootLink}/`,
    `${farm.other}/`,
    `${farm.outside}/`,
    `${farm.evil}/`,
    `${farm.repo}/../`,
    `${farm.rootLink}/../repo-evil/`,
    '/etc/',
    '/tmp/',
    '../',
    'C:\\',
    '\\\\server\\share\\',
    'file://',
    '~/',
  ];
  // Most paths are built from real names, links and dots so plenty get past the string checks
  // and reach the file system; the rest mix in encoding, Windows and unicode tricks.
  const plain = ['..', '..', '.', '', 'missing', 'new.txt', ...farm.linkNames, ...farm.plainNames];
  const tricky = [...TRICK_SEGMENTS, ...plain];
  const roots = [undefined, undefined, undefined, undefined, 'a', 'a', 'b', 'b', 'nope'];
  return () => {
    const adversarial = rand() < 0.3;
    const segments = adversarial ? tricky : plain;
    const separators = adversarial ? ['/', '/', '//', '/./', '\\', '%2f'] : ['/', '/', '/', '//'];
    let input = adversarial || rand() < 0.25 ? pick(prefixes) : '';
    const n = Math.floor(rand() * 8);
    for (let i = 0; i < n; i += 1) input += (i === 0 ? '' : pick(separators)) + pick(segments);
    if (rand() < 0.1) input += '/';
    if (rand() < 0.002) input = 'a/'.repeat(2100) + input;
    return { input, root: pick(roots) };
  };
}

/**
 * Judges a result without trusting the guard: its own realpath of each root, its own containment
 * test, and an lstat of every existing component (a symlink anywhere would mean the path can be
 * redirected when it is opened). lstat answers are cached unless `cache` is false (a farm that
 * changes under the run, as the write fuzz's does).
 */
export class Checker {
  private readonly stats = new Map<string, Stats | null>();
  constructor(
    private readonly rootReals: Record<string, string>,
    private readonly cache = true,
  ) {}

  check(r: Pick<ResolvedPath, 'abs' | 'root' | 'rel'>): string {
    const rootReal = this.rootReals[r.root.id];
    if (rootReal === undefined) return `anomaly: unknown root ${r.root.id}`;
    if (!path.isAbsolute(r.abs) || path.normalize(r.abs) !== r.abs || r.abs.includes('\0')) {
      return 'anomaly: abs not absolute and normalized';
    }
    const rel = path.relative(rootReal, r.abs);
    if (rel === '..' || rel.startsWith('../') || path.isAbsolute(rel))
      return 'escape: outside root';
    if (path.join(rootReal, r.rel) !== r.abs) return 'anomaly: rel does not match abs';
    const parts = r.abs.split('/').filter(Boolean);
    let prefix = '';
    for (const [i, part] of parts.entries()) {
      prefix += `/${part}`;
      const st = this.lstat(prefix);
      if (st === null) return 'ok';
      if (st.isSymbolicLink()) return 'escape: result goes through a symlink';
      if (!st.isDirectory() && i < parts.length - 1) return 'anomaly: file used as a directory';
    }
    return 'ok';
  }

  private lstat(p: string): Stats | null {
    const cached = this.cache ? this.stats.get(p) : undefined;
    if (cached !== undefined) return cached;
    let st: Stats | null;
    try {
      st = lstatSync(p);
    } catch {
      st = null;
    }
    this.stats.set(p, st);
    return st;
  }
}
