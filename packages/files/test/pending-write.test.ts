import { describe, expect, test } from 'vitest';
import { planChange } from '../src/index.ts';

describe('planChange: write', () => {
  test('over an existing file it is an edit from the old content to the new', () => {
    const r = planChange({ kind: 'write', path: 'a', content: 'new\n' }, 'a', {
      exists: true,
      content: 'old\n',
    });
    expect(r.ok && r.change).toMatchObject({ kind: 'edit', before: 'old\n', after: 'new\n' });
  });

  test('on a missing file it is a create', () => {
    const r = planChange({ kind: 'write', path: 'a', content: 'x' }, 'a', { exists: false });
    expect(r.ok && r.change).toMatchObject({ kind: 'create', before: null, after: 'x' });
  });

  test('the same content is refused as a conflict: nothing would change', () => {
    const r = planChange({ kind: 'write', path: 'a', content: 'x' }, 'a', {
      exists: true,
      content: 'x',
    });
    expect(!r.ok && r.code).toBe('conflict');
  });
});
