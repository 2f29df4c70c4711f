import { describe, expect, it } from 'vitest';
import { graphLink } from '@boocode/protocol';
import { parseCodeLink, splitCodeLinks } from '../../../src/features/code/code-link.ts';

const P = '0b7f7b1e-6d2c-4c1a-9d5e-1f2a3b4c5d6e';

describe('parseCodeLink', () => {
  it('reads back what graphLink writes, path decoded', () => {
    const href = graphLink({ projectId: P, path: 'src/a b/ü.ts', line: 12 });
    expect(parseCodeLink(href)).toEqual({ projectId: P, path: 'src/a b/ü.ts', line: 12 });
  });

  it('takes a link without a line', () => {
    expect(parseCodeLink(`/projects/${P}/files/x.ts`)).toEqual({ projectId: P, path: 'x.ts' });
  });

  it('refuses other links, dot segments and bad escapes', () => {
    for (const href of [
      '/c/abc',
      'https://example.com/projects/x/files/a.ts',
      `/projects/${P}/files/../etc/passwd#L1`,
      `/projects/${P}/files/a//b.ts`,
      `/projects/${P}/files/%E0%A4%A.ts`,
      `/projects/not-a-uuid/files/a.ts`,
    ]) {
      expect([href, parseCodeLink(href)]).toEqual([href, null]);
    }
  });
});

describe('splitCodeLinks', () => {
  it('cuts a tool result around its links, keeping every character', () => {
    const link = graphLink({ projectId: P, path: 'src/math.ts', line: 3 });
    const text = `1 symbols:\n- function total — src/math.ts:3 (${link})\nend`;
    const pieces = splitCodeLinks(text);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => 'link' in p)).toEqual([
      { text: link, link: { projectId: P, path: 'src/math.ts', line: 3 } },
    ]);
  });

  it('gives text without links as one piece', () => {
    expect(splitCodeLinks('no links here')).toEqual([{ text: 'no links here' }]);
  });
});
