import { useEffect, useReducer, useRef, useState } from 'react';

/** One coloured run of a line, as the worker sends it. */
export interface Token {
  content: string;
  color?: string;
  /** Shiki's flags: 1 italic, 2 bold, 4 underline. */
  fontStyle?: number;
}
export type Lines = Token[][];

export interface TokenRequest {
  id: number;
  code: string;
  lang: string;
}
export interface TokenReply {
  id: number;
  /** Null when the language is not one the highlighter has. */
  lines: Lines | null;
}

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (lines: Lines | null) => void>();

function startWorker(): Worker {
  const w = new Worker(new URL('./highlight-worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<TokenReply>) => {
    waiting.get(e.data.id)?.(e.data.lines);
    waiting.delete(e.data.id);
  };
  w.onerror = (e) => {
    // Code stays plain; nothing else depends on colours.
    console.error('boocode: code highlighting unavailable', e.message);
    for (const done of waiting.values()) done(null);
    waiting.clear();
  };
  return w;
}

/**
 * Starts the worker ahead of the first code block (each grammar then loads when a block
 * first needs it). Its work is off the page's thread; call it when the page is idle.
 */
export function prepareHighlighter(): void {
  worker ??= startWorker();
}

/** Results by language and code, so a block seen again (scrolled back, in a second pane) is coloured at once. */
const results = new Map<string, Lines | null>();
const inFlight = new Map<string, Promise<void>>();
/** Characters of code the results may hold, oldest dropped first. */
const RESULTS_BUDGET = 2_000_000;
let held = 0;

function remember(key: string, lines: Lines | null): void {
  if (!results.delete(key)) held += key.length;
  results.set(key, lines);
  for (const old of results.keys()) {
    if (held <= RESULTS_BUDGET) break;
    results.delete(old);
    held -= old.length;
  }
}

function request(key: string, code: string, lang: string): Promise<void> {
  let p = inFlight.get(key);
  if (!p) {
    worker ??= startWorker();
    const id = ++nextId;
    worker.postMessage({ id, code, lang } satisfies TokenRequest);
    p = new Promise<Lines | null>((resolve) => waiting.set(id, resolve)).then((lines) => {
      inFlight.delete(key);
      remember(key, lines);
    });
    inFlight.set(key, p);
  }
  return p;
}

/**
 * `code` as coloured lines, or null to show it plain (no language, not coloured yet, a
 * language the highlighter lacks). The colouring is done in a worker, so the page never
 * waits on it: while a block grows (a reply streaming), the lines it had keep their colours
 * and the new ones show plain until their colours come, in the same box and font.
 */
export function useTokens(code: string, lang: string): Lines | null {
  const key = `${lang}\0${code}`;
  const [done, bump] = useReducer((n: number) => n + 1, 0);
  const busy = useRef(false);
  const mounted = useRef(false);
  /** The last version of this block that was coloured, with the line arrays it showed. */
  const [last, setLast] = useState<{ key: string; code: string; lines: Lines } | null>(null);
  const known = lang ? results.get(key) : null;

  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);
  useEffect(() => {
    // One request per block at a time: a block growing faster than it is coloured skips
    // the versions in between (the answer re-renders it, and then it asks for the newest).
    if (!lang || results.has(key) || busy.current) return;
    busy.current = true;
    void request(key, code, lang).then(() => {
      busy.current = false;
      if (mounted.current) bump();
    });
  }, [key, code, lang, done]);

  if (known) {
    if (last?.key === key) return last.lines;
    // Re-renders at once with the lines of the last version where they did not change.
    setLast({ key, code, lines: sameLines(last?.lines, known) });
    return known;
  }
  if (known === null) return null;
  return grownFrom(last, code);
}

/** The lines of `prev` that `code` still starts with, coloured, and the rest plain. */
function grownFrom(prev: { code: string; lines: Lines } | null, code: string): Lines | null {
  if (!prev) return null;
  // The last line of the previous version may have been cut mid-way: keep those before it.
  const cut = prev.code.lastIndexOf('\n');
  if (cut < 0 || !code.startsWith(prev.code.slice(0, cut + 1))) return null;
  const kept = prev.code.slice(0, cut).split('\n').length;
  const rest = code
    .slice(cut + 1)
    .split('\n')
    .map((text): Token[] => [{ content: text }]);
  return [...prev.lines.slice(0, kept), ...rest];
}

/** `next`, with the line arrays of `prev` where a line is unchanged, so those lines do not render again. */
function sameLines(prev: Lines | undefined, next: Lines): Lines {
  if (!prev) return next;
  let changed = false;
  const out = next.map((line, i) => {
    const old = prev[i];
    if (old && old.length === line.length && old.every((t, j) => sameToken(t, line[j]!)))
      return old;
    changed = true;
    return line;
  });
  return changed || prev.length !== next.length ? out : prev;
}

function sameToken(a: Token, b: Token): boolean {
  return a.content === b.content && a.color === b.color && a.fontStyle === b.fontStyle;
}
