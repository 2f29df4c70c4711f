/// <reference lib="webworker" />
// Colours code off the page's thread: grammars compile their regexes on first use, which
// takes up to a few hundred ms, and a long block takes a while to tokenize. The page asks
// with {id, code, lang} and gets {id, lines} back, lines null for a language not loaded.
import { createHighlighterCore, type HighlighterCore, type LanguageRegistration } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import type { TokenReply, TokenRequest } from './highlighter.ts';
import { CODE_THEME, languageId, tokenize } from './tokenize.ts';

/** The grammars there are, each fetched when a block first needs it. */
const grammars: Record<string, () => Promise<{ default: LanguageRegistration[] }>> = {
  typescript: () => import('shiki/langs/typescript.mjs'),
  tsx: () => import('shiki/langs/tsx.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  jsx: () => import('shiki/langs/jsx.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  bash: () => import('shiki/langs/bash.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  diff: () => import('shiki/langs/diff.mjs'),
};

const ready = createHighlighterCore({
  engine: createJavaScriptRegexEngine(),
  themes: [import('shiki/themes/github-dark-default.mjs')],
  langs: [],
});

const loading = new Map<string, Promise<void>>();

/** Loads a grammar once and compiles its first rules; false for one there is not. */
async function load(h: HighlighterCore, id: string): Promise<boolean> {
  const grammar = grammars[id];
  if (!grammar) return false;
  let p = loading.get(id);
  if (!p) {
    p = grammar()
      .then((m) => h.loadLanguage(...m.default))
      .then(() => void h.codeToTokens('x', { lang: id, theme: CODE_THEME }));
    loading.set(id, p);
  }
  await p;
  return true;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;

class NoGrammar extends Error {}

scope.onmessage = async (e: MessageEvent<TokenRequest>) => {
  const { id, code, lang } = e.data;
  let lines: TokenReply['lines'] = null;
  try {
    const h = await ready;
    if (!(await load(h, languageId(lang)))) throw new NoGrammar();
    // Only what is drawn crosses back: text, colour, style.
    lines =
      tokenize(h, code, lang)?.map((line) =>
        line.map((t) => ({ content: t.content, color: t.color, fontStyle: t.fontStyle })),
      ) ?? null;
  } catch (err) {
    // A grammar that fails leaves the block plain; the page goes on.
    if (!(err instanceof NoGrammar)) console.error('boocode: could not colour code', err);
  }
  scope.postMessage({ id, lines } satisfies TokenReply);
};
