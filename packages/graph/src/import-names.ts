import type { Node } from 'web-tree-sitter';
import { unreachable, type GraphLanguage } from '@boocode/protocol';

/** A module specifier as written, without its quotes. */
export function moduleText(node: Node): string {
  return node.text.replace(/^[`'"]|[`'"]$/g, '');
}

const field = (n: Node, name: string) => n.childForFieldName(name)?.text ?? null;

/** The names an import statement brings in (as exported, not as renamed here). */
export function importNames(lang: GraphLanguage, stmt: Node): string[] {
  switch (lang) {
    case 'javascript':
    case 'typescript':
    case 'tsx':
      return jsNames(stmt);
    case 'python':
      return stmt.type === 'import_from_statement'
        ? stmt.childrenForFieldName('name').flatMap((n) => {
            if (!n) return [];
            const t = n.type === 'aliased_import' ? field(n, 'name') : n.text;
            return t ? [t] : [];
          })
        : [];
    case 'go': {
      // The package name it is used by: its alias, else the path's last segment.
      const alias = field(stmt, 'name');
      const path = moduleText(stmt.childForFieldName('path') ?? stmt);
      return [alias ?? path.split('/').at(-1) ?? path];
    }
    case 'rust': {
      const arg = stmt.childForFieldName('argument') ?? stmt.childForFieldName('name');
      if (!arg) return [];
      const list = arg.descendantsOfType('use_list')[0];
      if (!list)
        return [
          arg.text
            .split('::')
            .at(-1)!
            .replace(/^.* as /, ''),
        ];
      return list.namedChildren
        .filter((n): n is Node => n !== null)
        .map((n) => n.text.split('::').at(-1)!.split(' as ')[0]!.trim());
    }
    default:
      return unreachable(lang);
  }
}

function jsNames(stmt: Node): string[] {
  const names: string[] = [];
  for (const spec of stmt.descendantsOfType(['import_specifier', 'export_specifier'])) {
    const n = spec && field(spec, 'name');
    if (n) names.push(n);
  }
  for (const ns of stmt.descendantsOfType('namespace_import')) if (ns) names.push('*');
  const clause = stmt.descendantsOfType('import_clause')[0];
  const def = clause?.namedChildren.find((n) => n?.type === 'identifier');
  if (def) names.push('default');
  if (stmt.type === 'export_statement' && names.length === 0) names.push('*');
  return names;
}
