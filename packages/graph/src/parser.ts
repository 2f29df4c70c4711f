import { readFile } from 'node:fs/promises';
import { Language, Parser, Query } from 'web-tree-sitter';
import { unreachable, type GraphLanguage } from '@boocode/protocol';
import { grammarPath } from './languages.ts';
import { GO_CALLS, GO_DEFINITIONS, GO_IMPORTS, GO_REFERENCES } from './queries/go.ts';
import {
  JS_CALLS,
  JS_DEFINITIONS,
  JS_IMPORTS,
  JS_REFERENCES,
  TS_DEFINITIONS,
  TS_REFERENCES,
} from './queries/javascript.ts';
import { PY_CALLS, PY_DEFINITIONS, PY_IMPORTS, PY_REFERENCES } from './queries/python.ts';
import { RS_CALLS, RS_DEFINITIONS, RS_IMPORTS, RS_REFERENCES } from './queries/rust.ts';

/** A language ready to parse: its parser and its four compiled queries. */
export interface LoadedLanguage {
  name: GraphLanguage;
  parser: Parser;
  definitions: Query;
  calls: Query;
  imports: Query;
  references: Query;
}

function querySources(lang: GraphLanguage): [string, string, string, string] {
  switch (lang) {
    case 'javascript':
      return [JS_DEFINITIONS, JS_CALLS, JS_IMPORTS, JS_REFERENCES];
    case 'typescript':
    case 'tsx':
      return [TS_DEFINITIONS, JS_CALLS, JS_IMPORTS, TS_REFERENCES];
    case 'python':
      return [PY_DEFINITIONS, PY_CALLS, PY_IMPORTS, PY_REFERENCES];
    case 'go':
      return [GO_DEFINITIONS, GO_CALLS, GO_IMPORTS, GO_REFERENCES];
    case 'rust':
      return [RS_DEFINITIONS, RS_CALLS, RS_IMPORTS, RS_REFERENCES];
    default:
      return unreachable(lang);
  }
}

let init: Promise<void> | null = null;
const loaded = new Map<GraphLanguage, Promise<LoadedLanguage>>();

/** The parser and queries of a language, loaded once per thread. */
export function loadLanguage(lang: GraphLanguage): Promise<LoadedLanguage> {
  let p = loaded.get(lang);
  if (!p) {
    p = (async () => {
      init ??= Parser.init();
      await init;
      const language = await Language.load(await readFile(grammarPath(lang)));
      const parser = new Parser();
      parser.setLanguage(language);
      const [d, c, i, r] = querySources(lang);
      return {
        name: lang,
        parser,
        definitions: new Query(language, d),
        calls: new Query(language, c),
        imports: new Query(language, i),
        references: new Query(language, r),
      };
    })();
    loaded.set(lang, p);
  }
  return p;
}
