import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BOOCODE_VERSION } from '@boocode/protocol';

describe('BOOCODE_VERSION', () => {
  it("is the root package.json's version, and the CHANGELOG has an entry for it", async () => {
    const root = new URL('../../../', import.meta.url);
    const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8')) as {
      version: string;
    };
    expect(BOOCODE_VERSION).toBe(pkg.version);
    expect(BOOCODE_VERSION).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    const changelog = await readFile(new URL('CHANGELOG.md', root), 'utf8');
    expect(changelog).toContain(`## [${BOOCODE_VERSION}]`);
  });
});
