import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A temp tree of roots, outside secrets and every kind of symlink, for the path-guard fuzz. */
export type SymlinkFarm = {
  base: string;
  /** Root "a", granted through `rootLink` (itself a symlink to `repo`). */
  repo: string;
  rootLink: string;
  /** Root "b", granted directly. */
  other: string;
  outside: string;
  /** `repo-evil`: a sibling whose name starts with the root's. */
  evil: string;
  /** Names of every symlink in the farm, to use as path segments. */
  linkNames: string[];
  /** Names of plain files and directories, to use as path segments. */
  plainNames: string[];
};

// [where the link lives, what it points to]; `{outside}` is replaced by the absolute outside dir.
const LINKS: [string, string][] = [
  ['repo/l_out_dir', '../outside'],
  ['repo/l_out_dir_abs', '{outside}'],
  ['repo/l_out_file', '../outside/secret.txt'],
  ['repo/l_dangling_out', '../outside/missing.txt'],
  ['repo/l_dangling_out_dir', '../outside/nodir/deeper'],
  ['repo/l_dangling_abs', '/nonexistent-boocode-fuzz/x'],
  ['repo/l_dangling_in', 'missing-inside.txt'],
  ['repo/l_dangling_in_dir', 'newdir/sub'],
  ['repo/l_in_dir', 'sub'],
  ['repo/l_in_file', 'a.txt'],
  ['repo/l_chain1', 'l_chain2'],
  ['repo/l_chain2', 'l_out_dir'],
  ['repo/l_chain_in1', 'l_chain_in2'],
  ['repo/l_chain_in2', 'sub/deep'],
  ['repo/l_loop_a', 'l_loop_b'],
  ['repo/l_loop_b', 'l_loop_a'],
  ['repo/l_self', 'l_self'],
  ['repo/l_up', '..'],
  ['repo/l_root', '.'],
  ['repo/l_evil', '../repo-evil'],
  ['repo/l_etc', '/etc'],
  ['repo/l_via_out', '../outside/back_in'],
  ['repo/l_dangle_chain', 'l_dangling_out'],
  ['repo/l_dangle_chain_in', 'l_dangling_in'],
  ['repo/l_rootlink', '../rootlink'],
  ['repo/l_other', '../other'],
  ['repo/l_dangle_via_sub', 'sub/l_dangle_up'],
  ['repo/sub/l_upup', '../..'],
  ['repo/sub/l_back', '../sub'],
  ['repo/sub/l_dangle_up', '../../outside/newfile'],
  ['repo/sub/deep/l_deep_out', '../../../outside'],
  ['repo/.git/l_git_out', '../../outside'],
  ['outside/back_in', '../repo/sub'],
  ['outside/dangle_in', '../repo/new.txt'],
  ['outside/loop', 'loop'],
  ['other/l_to_repo', '../repo'],
  ['other/l_to_outside', '../outside'],
  ['rootlink', 'repo'],
];

const DIRS = [
  'repo/sub/deep',
  'repo/.git',
  'repo/．．',
  'repo/ｓｕｂ',
  'repo-evil',
  'outside/dir',
  'other/o-sub',
];

const FILES = [
  'repo/a.txt',
  'repo/sub/b.txt',
  'repo/sub/deep/c.txt',
  'repo/.git/config',
  'repo-evil/secret.txt',
  'outside/secret.txt',
  'outside/dir/x.txt',
  'other/o.txt',
];

/** Builds the farm in a fresh temp directory; the caller removes `base`. */
export async function buildSymlinkFarm(): Promise<SymlinkFarm> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'boocode-fuzz-'));
  const outside = path.join(base, 'outside');
  for (const dir of DIRS) await mkdir(path.join(base, dir), { recursive: true });
  for (const file of FILES) await writeFile(path.join(base, file), `${file}\n`);
  for (const [at, to] of LINKS) {
    await symlink(to.replace('{outside}', outside), path.join(base, at));
  }
  const names = (list: string[]) => [...new Set(list.map((p) => path.basename(p)))];
  return {
    base,
    repo: path.join(base, 'repo'),
    rootLink: path.join(base, 'rootlink'),
    other: path.join(base, 'other'),
    outside,
    evil: path.join(base, 'repo-evil'),
    linkNames: names(LINKS.map(([at]) => at)),
    plainNames: names([...DIRS, ...FILES]),
  };
}
