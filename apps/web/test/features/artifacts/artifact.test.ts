import { describe, expect, it } from 'vitest';
import {
  artifactKind,
  fenceClosedAt,
  fileFor,
  findFences,
  sameArtifact,
  toArtifact,
} from '../../../src/features/artifacts/artifact.ts';

// The HTML and SVG titles are read with DOMParser, which node lacks: the browser suite
// (e2e/test/artifacts.test.ts) covers those.

describe('artifactKind', () => {
  it('knows a fence’s info string in any case, with its short forms', () => {
    expect(artifactKind(' HTML ')).toBe('html');
    expect(artifactKind('md')).toBe('markdown');
    expect(artifactKind('svg')).toBe('svg');
  });

  it('is null for code that is not an artifact', () => {
    expect(artifactKind('ts')).toBeNull();
  });
});

describe('findFences', () => {
  it('finds each top-level fence with its language and code', () => {
    const text = 'Intro\n```html\n<p>hi</p>\n```\ntext\n~~~svg title\n<svg/>\n~~~';
    expect(findFences(text)).toEqual([
      { lang: 'html', code: '<p>hi</p>', closed: true },
      { lang: 'svg', code: '<svg/>', closed: true },
    ]);
  });

  it('reports the last fence open while it streams in', () => {
    expect(findFences('```md\n# Title\n')).toEqual([
      { lang: 'md', code: '# Title\n', closed: false },
    ]);
  });

  it('does not take inline code that starts a line for a fence', () => {
    expect(findFences('```html` is inline\nmore')).toEqual([]);
  });

  it('keeps a shorter inner fence inside the outer one', () => {
    const text = '````md\n```js\nx\n```\n````';
    expect(findFences(text)).toEqual([{ lang: 'md', code: '```js\nx\n```', closed: true }]);
  });
});

describe('toArtifact', () => {
  it('titles a Markdown artifact by its first heading outside code, markup stripped', () => {
    const code = '```\n# not this\n```\n## The **real** [title](http://x)';
    expect(toArtifact('markdown', code).title).toBe('The real title');
  });

  it('falls back to a generic title for Markdown without a heading', () => {
    expect(toArtifact('markdown', 'just text').title).toBe('Markdown artifact');
  });
});

describe('fenceClosedAt', () => {
  it('is true when the code node ends at a closing fence', () => {
    const source = '```js\nx\n```';
    expect(fenceClosedAt(source, source.length)).toBe(true);
  });

  it('is false for a block still running to the end of the text', () => {
    const source = '```js\nx';
    expect(fenceClosedAt(source, source.length)).toBe(false);
  });
});

describe('fileFor', () => {
  it('names the file after the title, accents and signs folded to dashes', () => {
    const artifact = { kind: 'html' as const, code: '', title: 'Café — Menu!' };
    expect(fileFor(artifact)).toEqual({ name: 'cafe-menu.html', type: 'text/html;charset=utf-8' });
  });

  it('falls back to “artifact” when the title has nothing usable', () => {
    expect(fileFor({ kind: 'svg', code: '', title: '!!!' }).name).toBe('artifact.svg');
  });
});

describe('sameArtifact', () => {
  it('compares kind and code, and is false when either is missing', () => {
    const a = { kind: 'html' as const, code: '<p>', title: 'A' };
    expect(sameArtifact(a, { ...a, title: 'B' })).toBe(true);
    expect(sameArtifact(a, { ...a, kind: 'svg' })).toBe(false);
    expect(sameArtifact(a, null)).toBe(false);
  });
});
