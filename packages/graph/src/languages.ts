import { createRequire } from 'node:module';
import path from 'node:path';
import type { GraphLanguage } from '@boocode/protocol';

const EXTENSIONS: Record<string, GraphLanguage> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  // The JavaScript grammar parses JSX too.
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
};

/** The language of a file by its name; null for a file the graph does not parse. */
export function languageOf(file: string): GraphLanguage | null {
  return EXTENSIONS[path.extname(file).toLowerCase()] ?? null;
}

/**
 * Where a grammar's WASM is: `@vscode/tree-sitter-wasm` ships the grammars VS Code uses, all
 * built with tree-sitter 0.25 for the ABI of the pinned `web-tree-sitter`. Resolved from this
 * package, so it holds in the server's bundle too (npm packages stay in node_modules).
 */
export function grammarPath(lang: GraphLanguage): string {
  const require = createRequire(import.meta.url);
  const pkg = path.dirname(require.resolve('@vscode/tree-sitter-wasm/package.json'));
  return path.join(pkg, 'wasm', `tree-sitter-${lang}.wasm`);
}
