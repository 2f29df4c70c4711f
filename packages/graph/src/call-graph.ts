import {
  graphCallsFrom,
  graphCallsTo,
  graphDefinitions,
  graphImportsOf,
  type GraphCallSite,
  type Queryable,
} from '@boocode/db';
import {
  MAX_CALL_DEPTH,
  type CallDirection,
  type GraphCallEdge,
  type GraphCalls,
} from '@boocode/protocol';
import { fileKey, NameResolver, type GraphFileRef } from './resolve.ts';

const MAX_EDGES = 300;

const SYNTACTIC =
  'The graph is syntactic: calls through a variable, a callback or dynamic dispatch, and dynamic imports, are not followed.';

/** A name at one level, with the file of the definition it means (null: any of them). */
interface Target {
  name: string;
  file: string | null;
}

const targetKey = (t: Target) => `${t.name}\0${t.file ?? ''}`;

/**
 * Callers or callees of a name, breadth first to `depth` (at most {@link MAX_CALL_DEPTH}): each
 * level's far ends (the callers, or the callees) are the next level's names. Given `from`, the
 * file the name is seen from, it follows the definition that file means (its own, else the one it
 * imports; see NameResolver) and leaves out calls that mean another definition of the same name;
 * each next level follows the far end's own definition likewise.
 */
export async function callGraph(
  sql: Queryable,
  projectIds: string[],
  args: { name: string; direction: CallDirection; depth?: number; from?: GraphFileRef },
): Promise<GraphCalls> {
  const callers = args.direction === 'callers';
  const depth = Math.min(Math.max(args.depth ?? 1, 1), MAX_CALL_DEPTH);
  const [roots, rootImports] = await Promise.all([
    graphDefinitions(sql, projectIds, [args.name], 50),
    args.from ? graphImportsOf(sql, projectIds, [args.name], args.from) : [],
  ]);
  const root: Target = {
    name: args.name,
    file: args.from ? new NameResolver(roots, rootImports).fileOf(args.name, args.from) : null,
  };
  const edges: GraphCallEdge[] = [];
  const seen = new Set([targetKey(root)]);
  let level = [root];
  const count = { truncated: false, member: 0, topLevel: 0, leftOut: 0 };
  for (let d = 1; d <= depth && level.length > 0 && !count.truncated; d++) {
    const names = [...new Set(level.map((t) => t.name))];
    const room = MAX_EDGES - edges.length;
    const sites: GraphCallSite[] = callers
      ? await graphCallsTo(sql, projectIds, names, room + 1)
      : await graphCallsFrom(sql, projectIds, names, room + 1);
    if (sites.length > room) count.truncated = true;
    const kept = sites.slice(0, room);
    // Which definition each call means, of this level's names and of the far ends'.
    const far = kept.flatMap((s) => (callers ? (s.caller ? [s.caller.name] : []) : [s.name]));
    const all = [...new Set([...names, ...far])];
    const [defs, imports] = await Promise.all([
      graphDefinitions(sql, projectIds, all, 1000),
      graphImportsOf(sql, projectIds, all),
    ]);
    const resolver = new NameResolver(defs, imports);
    const next: Target[] = [];
    for (const s of kept) {
      const at = { projectId: s.projectId, path: s.path };
      const near = callers ? s.name : (s.caller?.name ?? null);
      // The file whose definition the near end is: a callee's caller is the symbol it is in; a
      // call through a member (x.name()) is not resolved, and counts for every target.
      const means = !callers ? fileKey(at) : s.member ? null : resolver.fileOf(s.name, at);
      const ours = level.some(
        (t) => t.name === near && (t.file === null || means === null || means === t.file),
      );
      if (!ours) {
        count.leftOut++;
        continue;
      }
      if (s.member) count.member++;
      if (s.caller === null) count.topLevel++;
      const farEnd: Target | null = callers
        ? s.caller && { name: s.caller.name, file: fileKey(at) }
        : { name: s.name, file: s.member ? null : resolver.fileOf(s.name, at) };
      edges.push({
        depth: d,
        from: callers ? (s.caller?.name ?? '(top level)') : (s.enclosing ?? '(top level)'),
        to: s.name,
        site: { projectId: s.projectId, path: s.path, line: s.line, column: s.column },
        member: s.member,
        definitions: farEnd
          ? defs
              .filter(
                (x) =>
                  x.name === farEnd.name && (farEnd.file === null || fileKey(x) === farEnd.file),
              )
              .slice(0, 10)
          : [],
      });
      if (farEnd && !seen.has(targetKey(farEnd))) {
        seen.add(targetKey(farEnd));
        next.push(farEnd);
      }
    }
    level = next;
  }
  return {
    name: args.name,
    direction: args.direction,
    depth,
    roots: root.file === null ? roots : roots.filter((r) => fileKey(r) === root.file),
    edges,
    notes: notes(args, roots, root, count),
    truncated: count.truncated,
  };
}

function notes(
  args: { name: string; direction: CallDirection; from?: GraphFileRef },
  roots: GraphCalls['roots'],
  root: Target,
  count: { member: number; topLevel: number; leftOut: number },
): string[] {
  const out = [SYNTACTIC];
  const files = new Set(roots.map(fileKey));
  if (files.size > 1 && root.file !== null) {
    const path = roots.find((r) => fileKey(r) === root.file)!.path;
    out.push(
      `"${args.name}" is defined in ${files.size} files: these are the calls of the one in ${path}, with those that cannot be told apart (${count.leftOut} ${count.leftOut === 1 ? 'call' : 'calls'} of the others left out).`,
    );
  } else if (files.size > 1) {
    const which = args.from
      ? `Which "${args.name}" ${args.from.path} means is not known (a package import, or one it neither defines nor imports)`
      : `"${args.name}" is defined in ${files.size} files, and no file was given to tell which`;
    out.push(`${which}: calls of all of them are mixed.`);
  }
  if (roots.length === 0) out.push(`"${args.name}" has no definition in the indexed files.`);
  if (count.member > 0)
    out.push(
      `${count.member} calls are through a member (x.name()): matched by the method's name only, the receiver's type is not resolved.`,
    );
  if (count.topLevel > 0 && args.direction === 'callers')
    out.push(`${count.topLevel} calls are at a file's top level, outside any function.`);
  return out;
}
