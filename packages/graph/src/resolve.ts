import { posix } from 'node:path';
import type { GraphImportOf } from '@boocode/db';
import type { GraphSymbol } from '@boocode/protocol';

/** A file of a project. */
export interface GraphFileRef {
  projectId: string;
  path: string;
}

/** One key per file of a project. */
export const fileKey = (f: GraphFileRef) => `${f.projectId}\0${f.path}`;

/**
 * Whether a file is the one a relative import names (`./util`, `../a/b.js`, Python's `.util`), as
 * a test on its path; null for a package import, which the graph does not resolve.
 */
export function relativeModule(
  importer: string,
  module: string,
): ((file: string) => boolean) | null {
  const dir = posix.dirname(importer);
  let target: string;
  if (/^\.\.?\//.test(module)) target = posix.join(dir, module);
  else if (/^\.+\w/.test(module)) {
    // Python: one dot is this package, each more one up.
    const dots = /^\.+/.exec(module)![0].length;
    target = posix.join(dir, '../'.repeat(dots - 1), module.slice(dots).replaceAll('.', '/'));
  } else return null;
  const stem = (p: string) => p.replace(/\.(d\.ts|[cm]?[jt]sx?|py)$/, '');
  const want = stem(target);
  return (file) => {
    const s = stem(file);
    return s === want || s === `${want}/index` || s === `${want}/__init__`;
  };
}

/**
 * Which definition a name means in a file, as far as the index can tell without types: the
 * file's own, else the one in the file a relative import of the name points to. A package import,
 * or a name the file neither defines nor imports (a global, a method), cannot be told.
 */
export class NameResolver {
  private readonly defined = new Set<string>();

  constructor(
    private readonly defs: GraphSymbol[],
    private readonly imports: GraphImportOf[],
  ) {
    for (const d of defs) this.defined.add(`${d.name}\0${fileKey(d)}`);
  }

  /** The key of the file whose `name` file `at` means; null when that cannot be told. */
  fileOf(name: string, at: GraphFileRef): string | null {
    const here = fileKey(at);
    if (this.defined.has(`${name}\0${here}`)) return here;
    const imp = this.imports.find(
      (i) => i.projectId === at.projectId && i.path === at.path && i.names.includes(name),
    );
    const target = imp ? relativeModule(at.path, imp.module) : null;
    if (!target) return null;
    const def = this.defs.find(
      (d) => d.name === name && d.projectId === at.projectId && target(d.path),
    );
    return def ? fileKey(def) : null;
  }
}
