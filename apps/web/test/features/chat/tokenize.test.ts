import { describe, expect, it } from 'vitest';
import { languageId } from '../../../src/features/chat/tokenize.ts';

describe('languageId', () => {
  it('maps a fence’s short names to the grammar, in any case', () => {
    expect(languageId('TS')).toBe('typescript');
    expect(languageId('sh')).toBe('bash');
    expect(languageId('yml')).toBe('yaml');
  });

  it('keeps a name that is already a grammar’s', () => {
    expect(languageId('rust')).toBe('rust');
  });
});
