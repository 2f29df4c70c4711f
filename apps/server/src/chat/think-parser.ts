export interface Piece {
  kind: 'text' | 'reasoning';
  text: string;
}

const OPEN = '<think>';
const CLOSE = '</think>';

/**
 * Splits streamed content into answer text and `<think>...</think>` reasoning.
 * Tags may arrive split across chunks: a tail that could be the start of a tag
 * is held back until the next chunk (or `end`) settles it.
 */
export class ThinkParser {
  private inThink = false;
  private held = '';

  push(chunk: string): Piece[] {
    const out: Piece[] = [];
    let s = this.held + chunk;
    this.held = '';
    for (;;) {
      const tag = this.inThink ? CLOSE : OPEN;
      const at = s.indexOf(tag);
      if (at >= 0) {
        this.emit(out, s.slice(0, at));
        s = s.slice(at + tag.length);
        this.inThink = !this.inThink;
        continue;
      }
      const keep = partialTagSuffix(s, tag);
      this.emit(out, s.slice(0, s.length - keep));
      this.held = s.slice(s.length - keep);
      return out;
    }
  }

  /** Flushes what was held back; an unclosed `<think>` stays reasoning. */
  end(): Piece[] {
    const out: Piece[] = [];
    this.emit(out, this.held);
    this.held = '';
    return out;
  }

  private emit(out: Piece[], text: string): void {
    if (!text) return;
    const kind = this.inThink ? 'reasoning' : 'text';
    const last = out.at(-1);
    if (last?.kind === kind) last.text += text;
    else out.push({ kind, text });
  }
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
function partialTagSuffix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
