import { lstat, readdir, readFile, readlink, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ApplyItem } from '@boocode/protocol';
import { applyChanges } from './apply-changes.ts';
import { buildSymlinkFarm } from './fuzz-farm.ts';
import { Checker, mulberry32, pathGenerator } from './fuzz.ts';
import { createPathGuard } from './path-guard.ts';
import { planChange, readState, resolveForWrite, type ChangeRequest } from './pending.ts';

export type WriteFuzzOptions = {
  seed?: number;
  /** Write-tool calls generated (each one queues a change or is refused). */
  count?: number;
  /** Queued changes applied afterwards, in sets of 1 to `setSize`. */
  applyCount?: number;
  setSize?: number;
};

/** What a write fuzz run found. `outsideWrites`, `changedBeforeApply`, `outsideChanges` must be 0. */
export type WriteFuzzReport = {
  seed: number;
  count: number;
  /** Calls whose change was queued (path accepted and the change valid). */
  queued: number;
  /** Refusals by code (path guard and change checks). */
  refused: Record<string, number>;
  /** Entries of the farm that differ after every call was queued, before any apply. */
  changedBeforeApply: number;
  /** Sets applied, and the sets refused (conflicts with earlier sets, mostly). */
  setsApplied: number;
  setsRefused: number;
  /** Files written or removed by the applies. */
  writes: number;
  /** Of those, the ones outside their root or through a symlink (by an independent check). */
  outsideWrites: number;
  /** Entries outside the roots that differ after the applies. */
  outsideChanges: number;
  /** Accepted write paths outside their root or through a symlink. */
  escapes: number;
  examples: string[];
  ms: number;
};

const KINDS = ['edit', 'edit', 'create', 'create', 'delete'] as const;

/**
 * The path-guard fuzz for the write tools: generated paths over the symlink farm go through
 * `edit_file`/`create_file`/`delete_file` as the tools do it (resolve, read, plan). Queueing must
 * change nothing on disk; then queued changes are applied in sets, and every file written must be
 * inside its root, and nothing outside the roots may change.
 */
export async function runWriteToolsFuzz(opts: WriteFuzzOptions = {}): Promise<WriteFuzzReport> {
  const seed = opts.seed ?? 0x3417e;
  const count = opts.count ?? 20_000;
  const applyCount = opts.applyCount ?? 2_000;
  const setSize = opts.setSize ?? 3;
  const started = performance.now();
  const farm = await buildSymlinkFarm();
  try {
    const guard = createPathGuard([
      { id: 'a', path: farm.rootLink },
      { id: 'b', path: farm.other },
    ]);
    const rootReals = { a: await realpath(farm.repo), b: await realpath(farm.other) };
    const checker = new Checker(rootReals, false);
    const rand = mulberry32(seed);
    const next = pathGenerator(farm, rand);
    const contents = await fileTexts(farm.base);
    const report: WriteFuzzReport = {
      seed,
      count,
      queued: 0,
      refused: {},
      changedBeforeApply: 0,
      setsApplied: 0,
      setsRefused: 0,
      writes: 0,
      outsideWrites: 0,
      outsideChanges: 0,
      escapes: 0,
      examples: [],
      ms: 0,
    };
    const note = (s: string) => {
      if (report.examples.length < 10) report.examples.push(s);
    };
    const refuse = (code: string) => (report.refused[code] = (report.refused[code] ?? 0) + 1);

    const before = await treeOf(farm.base);
    const queued = new Map<string, ApplyItem[]>([
      ['a', []],
      ['b', []],
    ]);
    for (let i = 0; i < count; i++) {
      const c = next();
      const req = request(c.input, rand, contents);
      const r = await resolveForWrite(guard, c.input, c.root === undefined ? {} : { root: c.root });
      if (!r.ok) {
        refuse(r.code);
        continue;
      }
      const verdict = checker.check(r);
      if (verdict !== 'ok') {
        report.escapes += 1;
        note(`${verdict}: ${JSON.stringify(c)} -> ${r.abs}`);
      }
      const state = await readState(r.abs, r.rel);
      if ('ok' in state) {
        refuse(state.code);
        continue;
      }
      const planned = planChange(req, r.rel, state);
      if (!planned.ok) {
        refuse(planned.code);
        continue;
      }
      report.queued += 1;
      const { path: rel, baseHash, after } = planned.change;
      queued.get(r.root.id)!.push({ id: String(i), path: rel, baseHash, after });
    }
    const afterQueue = await treeOf(farm.base);
    report.changedBeforeApply = differences(before, afterQueue, () => true);

    let budget = applyCount;
    for (const [root, items] of queued) {
      for (let i = 0; i < items.length && budget > 0;) {
        // Sets of 1 to setSize changes: single ones land often, larger ones meet conflicts.
        const size = 1 + Math.floor(rand() * setSize);
        const set = items.slice(i, i + size);
        i += size;
        budget -= set.length;
        const result = await applyChanges(guard, set, {
          root,
          onWrite: (abs) => {
            report.writes += 1;
            const rel = path.relative(rootReals[root as 'a' | 'b'], abs);
            const verdict = checker.check({ abs, root: { id: root, path: '' }, rel });
            if (verdict !== 'ok') {
              report.outsideWrites += 1;
              note(`write ${verdict}: ${abs}`);
            }
          },
        });
        if (result.ok) report.setsApplied += 1;
        else report.setsRefused += 1;
      }
    }
    const afterApply = await treeOf(farm.base);
    const inRoots = (rel: string) =>
      ['repo', 'other'].some((r) => rel === r || rel.startsWith(`${r}/`));
    report.outsideChanges = differences(afterQueue, afterApply, (rel) => !inRoots(rel));
    if (report.outsideChanges > 0) note('entries outside the roots changed');
    report.ms = Math.round(performance.now() - started);
    return report;
  } finally {
    await rm(farm.base, { recursive: true, force: true });
  }
}

function request(input: string, rand: () => number, texts: string[]): ChangeRequest {
  const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
  const pick = () => texts[Math.floor(rand() * texts.length)] ?? '';
  switch (kind) {
    case 'edit': {
      // Mostly a real line of some farm file, so a fair share of edits match.
      const text = pick();
      const oldString = rand() < 0.8 ? text.trimEnd() : 'no such text';
      return { kind, path: input, oldString, newString: `${oldString} (fuzzed ${rand()})` };
    }
    case 'create':
      return { kind, path: input, content: `created ${rand()}\n` };
    case 'delete':
      return { kind, path: input };
  }
}

async function fileTexts(base: string): Promise<string[]> {
  const tree = await treeOf(base);
  return Object.values(tree)
    .filter((v) => v.startsWith('file '))
    .map((v) => v.slice(5));
}

/** Every entry under `base`, links not followed: "dir", "link <target>" or "file <content>". */
async function treeOf(base: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const name of await readdir(path.join(base, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      const abs = path.join(base, r);
      const st = await lstat(abs);
      if (st.isSymbolicLink()) out[r] = `link ${await readlink(abs)}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        await walk(r);
      } else out[r] = `file ${await readFile(abs, 'utf8')}`;
    }
  };
  await walk('');
  return out;
}

function differences(
  a: Record<string, string>,
  b: Record<string, string>,
  counted: (rel: string) => boolean,
): number {
  let n = 0;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (counted(key) && a[key] !== b[key]) n += 1;
  }
  return n;
}
