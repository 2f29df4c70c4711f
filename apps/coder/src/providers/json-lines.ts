/**
 * Lines in a JSON text, for errors a person can find: where the text stops being JSON, and
 * where the key at a path (from a zod issue) is. A small scanner of the JSON grammar; it
 * records where each key and array element starts.
 */

type Path = readonly PropertyKey[];
const keyOf = (path: Path) => JSON.stringify(path.map(String));

class Scan {
  i = 0;
  readonly at = new Map<string, number>();
  constructor(private readonly text: string) {}

  fail(): never {
    throw new ScanError(this.i);
  }
  ws() {
    while (/[ \t\r\n]/.test(this.text[this.i] ?? '')) this.i++;
  }
  eat(c: string) {
    if (this.text[this.i] !== c) this.fail();
    this.i++;
  }
  value(path: string[]) {
    this.ws();
    const c = this.text[this.i];
    if (c === '{') return this.object(path);
    if (c === '[') return this.array(path);
    if (c === '"') return void this.string();
    const m = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = this.i;
    if (!m.exec(this.text)) this.fail();
    this.i = m.lastIndex;
  }
  string(): string {
    const start = this.i;
    this.eat('"');
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined || c < ' ') this.fail();
      this.i++;
      if (c === '"') return JSON.parse(this.text.slice(start, this.i)) as string;
      if (c !== '\\') continue;
      const e = this.text[this.i] ?? '';
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 1, this.i + 5))) this.fail();
        this.i += 5;
      } else if ('"\\/bfnrt'.includes(e) && e) this.i++;
      else this.fail();
    }
  }
  object(path: string[]) {
    this.eat('{');
    this.ws();
    if (this.text[this.i] === '}') return void this.i++;
    for (;;) {
      this.ws();
      const keyAt = this.i;
      const p = [...path, this.string()];
      this.at.set(keyOf(p), keyAt);
      this.ws();
      this.eat(':');
      this.value(p);
      this.ws();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      return this.eat('}');
    }
  }
  array(path: string[]) {
    this.eat('[');
    this.ws();
    if (this.text[this.i] === ']') return void this.i++;
    for (let n = 0; ; n++) {
      this.ws();
      const p = [...path, String(n)];
      this.at.set(keyOf(p), this.i);
      this.value(p);
      this.ws();
      if (this.text[this.i] === ',') {
        this.i++;
        continue;
      }
      return this.eat(']');
    }
  }
}

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`not JSON at ${offset}`);
  }
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < Math.min(offset, text.length); k++) if (text[k] === '\n') line++;
  return line;
}

/** Where a text that JSON.parse refused goes wrong: the line of the first bad character. */
export function syntaxErrorLine(text: string): number {
  const s = new Scan(text);
  try {
    s.value([]);
    s.ws();
    if (s.i < text.length) s.fail();
  } catch (err) {
    if (err instanceof ScanError) return lineAt(text, err.offset);
    throw err;
  }
  return lineAt(text, text.length);
}

/**
 * The line of the key at `path` in a valid JSON text; for a key that is not there (a missing
 * field), the line of the nearest enclosing one that is (1 for the whole document).
 */
export function pathLine(text: string, path: Path): number {
  const s = new Scan(text);
  s.value([]);
  for (let n = path.length; n > 0; n--) {
    const at = s.at.get(keyOf(path.slice(0, n)));
    if (at !== undefined) return lineAt(text, at);
  }
  return 1;
}
