import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseInput } from './path-input.ts';
import { realLocation } from './real-path.ts';
import { toolError, type ToolError } from './tool-result.ts';

/** A directory a chat may touch, as granted (the path may itself be a symlink). */
export type Root = { id: string; path: string };

/** A path the guard accepted. Open `abs`, never the input: only `abs` was checked. */
export type ResolvedPath = {
  ok: true;
  /** Real absolute path: every existing component resolved, the missing tail appended. */
  abs: string;
  root: Root;
  /** `abs` relative to the root's real path, with forward slashes; `.` for the root itself. */
  rel: string;
};

/** What {@link PathGuard.resolve} answers: a checked path or a refusal for the model. */
export type Resolved = ResolvedPath | ToolError;

export type ResolveOptions = {
  /** Id of the root a relative path is taken from; the first root when omitted. */
  root?: string;
};

/** Resolves paths from a model so they can only reach inside the granted roots. */
export type PathGuard = {
  readonly roots: readonly Root[];
  resolve(input: string, opts?: ResolveOptions): Promise<Resolved>;
};

type GrantedRoot = { root: Root; real: string; lexical: string };

/**
 * True when `abs` is `root` or below it. Compares whole segments, so `/repo-evil` is not inside
 * `/repo`. Both must be absolute; nothing is resolved on disk.
 */
export function isInside(root: string, abs: string): boolean {
  if (!path.isAbsolute(root) || !path.isAbsolute(abs)) return false;
  const r = path.resolve(root);
  const a = path.resolve(abs);
  if (a === r) return true;
  return a.startsWith(r === '/' ? '/' : `${r}/`);
}

/**
 * Builds the guard for a chat's roots. Each root is resolved with realpath once, here, so a root
 * reached through a symlink works; it throws when a root is missing or not a directory, which is
 * a configuration error rather than bad model input.
 */
export function createPathGuard(roots: readonly Root[]): PathGuard {
  if (roots.length === 0) throw new Error('createPathGuard needs at least one root');
  const seen = new Set<string>();
  const granted: GrantedRoot[] = roots.map((root) => {
    if (seen.has(root.id)) throw new Error(`duplicate root id "${root.id}"`);
    seen.add(root.id);
    if (!path.isAbsolute(root.path)) throw new Error(`root "${root.id}" is not absolute`);
    const real = realpathSync(root.path);
    if (!statSync(real).isDirectory()) throw new Error(`root "${root.id}" is not a directory`);
    return { root: { ...root }, real, lexical: path.resolve(root.path) };
  });

  async function resolve(input: string, opts: ResolveOptions = {}): Promise<Resolved> {
    const parsed = parseInput(input);
    if (!parsed.ok) return toolError(parsed.code, parsed.message);

    let candidates: GrantedRoot[];
    if (opts.root !== undefined) {
      const named = granted.find((g) => g.root.id === opts.root);
      if (!named) {
        const ids = granted.map((g) => `"${g.root.id}"`).join(', ');
        return toolError('unknown_root', `There is no root "${opts.root}"; the roots are ${ids}.`);
      }
      candidates = [named];
    } else {
      candidates = granted;
    }

    let lexical: string;
    if (parsed.kind === 'relative') {
      const base = candidates[0] as GrantedRoot;
      candidates = [base];
      lexical = path.join(base.real, parsed.normalized);
    } else {
      lexical = parsed.normalized;
      // An absolute path must name a root as written (granted or real spelling), so a link
      // elsewhere on the machine that happens to point back inside is not a way in.
      candidates = candidates.filter(
        (g) => isInside(g.lexical, lexical) || isInside(g.real, lexical),
      );
      if (candidates.length === 0) return outside(input, granted);
    }

    const real = await realLocation(lexical, input);
    if (!real.ok) return real;
    // Nested roots: the deepest one that really holds the file wins.
    const holder = candidates
      .filter((g) => isInside(g.real, real.abs))
      .sort((a, b) => b.real.length - a.real.length)[0];
    if (!holder) return outside(input, candidates);
    return {
      ok: true,
      abs: real.abs,
      root: holder.root,
      rel: path.relative(holder.real, real.abs) || '.',
    };
  }

  return { roots: granted.map((g) => g.root), resolve };
}

function outside(input: string, roots: readonly GrantedRoot[]): ToolError {
  const names = roots.map((g) => `"${g.root.id}" (${g.root.path})`).join(', ');
  return toolError(
    'outside_root',
    `"${input}" is outside the allowed root${roots.length > 1 ? 's' : ''} ${names}, or reaches outside through a symlink. Use a path inside the root.`,
  );
}
