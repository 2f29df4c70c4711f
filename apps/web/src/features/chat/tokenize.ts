import type { GrammarState, HighlighterCore, ThemedToken } from 'shiki/core';

/** The theme code is coloured with; its background is ignored (our code box has its own). */
export const CODE_THEME = 'github-dark-default';

interface Prefix {
  /** Complete lines only (no trailing newline), so a later chunk starts on a fresh line. */
  code: string;
  lines: ThemedToken[][];
  state: GrammarState | undefined;
}

const MAX_PER_LANG = 24;
const MAX_LINE_LENGTH = 2000;
const prefixes = new Map<string, Prefix[]>();

/**
 * Coloured lines for `code`, or null when the language is not loaded. Tokens of complete
 * lines are cached and extended from their grammar state, so a fence that grows while a reply
 * streams costs only its new lines per render, and a block scrolled back into view costs nothing.
 */
export function tokenize(h: HighlighterCore, code: string, lang: string): ThemedToken[][] | null {
  const id = resolveLang(h, lang);
  if (!id) return null;
  const cut = code.lastIndexOf('\n');
  const stable = cut < 0 ? null : extend(h, id, code.slice(0, cut));
  const tail = code.slice(cut + 1);
  if (!stable) return run(h, id, tail, undefined).tokens;
  if (tail === '') return [...stable.lines, []];
  return [...stable.lines, ...run(h, id, tail, stable.state).tokens];
}

function extend(h: HighlighterCore, lang: string, code: string): Prefix {
  const cached = prefixes.get(lang) ?? [];
  let best: Prefix | undefined;
  for (const p of cached) {
    if (p.code === code) return touch(lang, cached, p);
    const fits = code.startsWith(p.code) && code[p.code.length] === '\n';
    if (fits && (!best || p.code.length > best.code.length)) best = p;
  }
  const rest = best ? code.slice(best.code.length + 1) : code;
  const result = run(h, lang, rest, best?.state);
  const next: Prefix = {
    code,
    lines: best ? [...best.lines, ...result.tokens] : result.tokens,
    state: result.grammarState,
  };
  return touch(lang, cached, next);
}

function touch(lang: string, cached: Prefix[], p: Prefix): Prefix {
  prefixes.set(lang, [p, ...cached.filter((c) => c !== p)].slice(0, MAX_PER_LANG));
  return p;
}

function run(h: HighlighterCore, lang: string, code: string, state: GrammarState | undefined) {
  return h.codeToTokens(code, {
    lang,
    theme: CODE_THEME,
    grammarState: state,
    tokenizeMaxLineLength: MAX_LINE_LENGTH,
  });
}

const aliases: Record<string, string> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  node: 'javascript',
  jsonc: 'json',
  json5: 'json',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  shellscript: 'bash',
  py: 'python',
  python3: 'python',
  golang: 'go',
  rs: 'rust',
  htm: 'html',
  xml: 'html',
  svg: 'html',
  yml: 'yaml',
  md: 'markdown',
  patch: 'diff',
  postgres: 'sql',
  postgresql: 'sql',
  psql: 'sql',
};

/** The loaded language a fence's info string names, or null to render plain. */
export function resolveLang(h: HighlighterCore, lang: string): string | null {
  const id = languageId(lang);
  return h.getLoadedLanguages().includes(id) ? id : null;
}

/** The grammar name a fence's info string means ("ts" is "typescript"). */
export function languageId(lang: string): string {
  const name = lang.toLowerCase();
  return aliases[name] ?? name;
}
