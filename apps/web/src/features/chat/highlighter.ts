import { useSyncExternalStore } from 'react';
import type { HighlighterCore } from 'shiki/core';

/** The theme code is coloured with; its background is ignored (our code box has its own). */
export const CODE_THEME = 'github-dark-default';

let highlighter: HighlighterCore | null = null;
const listeners = new Set<() => void>();

/**
 * Loads ONE highlighter for the app. Until it is ready (and for languages it lacks) code blocks
 * render as plain text in the same box, then colour in place without moving.
 */
export function loadHighlighter(): void {
  if (highlighter) return;
  // Its own chunk, fetched in parallel with the first API calls rather than before first paint.
  Promise.all([import('shiki/core'), import('shiki/engine/javascript')])
    .then(([{ createHighlighterCore }, { createJavaScriptRegexEngine }]) =>
      createHighlighterCore({
        engine: createJavaScriptRegexEngine(),
        themes: [import('shiki/themes/github-dark-default.mjs')],
        langs: [
          import('shiki/langs/typescript.mjs'),
          import('shiki/langs/tsx.mjs'),
          import('shiki/langs/javascript.mjs'),
          import('shiki/langs/jsx.mjs'),
          import('shiki/langs/json.mjs'),
          import('shiki/langs/bash.mjs'),
          import('shiki/langs/python.mjs'),
          import('shiki/langs/go.mjs'),
          import('shiki/langs/rust.mjs'),
          import('shiki/langs/html.mjs'),
          import('shiki/langs/css.mjs'),
          import('shiki/langs/sql.mjs'),
          import('shiki/langs/yaml.mjs'),
          import('shiki/langs/markdown.mjs'),
          import('shiki/langs/diff.mjs'),
        ],
      }),
    )
    .then((h) => {
      highlighter = h;
      for (const l of listeners) l();
      warmUp(h, h.getLoadedLanguages());
    })
    .catch((err: unknown) => console.error('boocode: code highlighting unavailable', err));
}

/**
 * A grammar compiles its regexes on first use, which takes up to a few hundred ms; do it in
 * idle time, one language at a time, rather than in the middle of a streaming reply.
 */
function warmUp(h: HighlighterCore, langs: string[]): void {
  const [lang, ...rest] = langs;
  if (!lang) return;
  const idle = window.requestIdleCallback ?? ((f: () => void) => setTimeout(f, 50));
  idle(() => {
    try {
      h.codeToTokens('x', { lang, theme: CODE_THEME });
    } catch {
      // An alias or a grammar that fails here fails visibly (as plain text) where it is used.
    }
    warmUp(h, rest);
  });
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The highlighter once loaded, else null; re-renders the caller when it arrives. */
export function useHighlighter(): HighlighterCore | null {
  return useSyncExternalStore(subscribe, () => highlighter);
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
  const name = lang.toLowerCase();
  const id = aliases[name] ?? name;
  return h.getLoadedLanguages().includes(id) ? id : null;
}
