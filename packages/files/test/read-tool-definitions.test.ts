import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createPathGuard } from '../src/path-guard.ts';
import { callReadTool, readToolDefinitions } from '../src/read-tool-definitions.ts';
import { tempRepo } from './temp-dirs.ts';

async function setup() {
  const repo = await tempRepo();
  return { ...repo, guard: createPathGuard([{ id: 'repo', path: repo.root }]) };
}

describe('callReadTool', () => {
  test('runs each tool on arguments as a model sends them', async () => {
    const { guard } = await setup();
    expect(await callReadTool(guard, 'read_file', { path: 'README.md', endLine: 1 })).toMatchObject(
      {
        ok: true,
        content: '1\t# demo',
      },
    );
    expect(await callReadTool(guard, 'list_dir', {})).toMatchObject({ ok: true, path: '.' });
    expect(await callReadTool(guard, 'search', { query: 'greeting' })).toMatchObject({
      ok: true,
      matches: [{ path: 'src/index.ts' }],
    });
    expect(await callReadTool(guard, 'find_files', { pattern: 'index.ts' })).toMatchObject({
      ok: true,
      files: ['src/index.ts'],
    });
  });

  test('bad arguments come back as bad_args naming the field', async () => {
    const { guard } = await setup();
    const r = await callReadTool(guard, 'read_file', { path: 'README.md', startLine: 0 });
    expect(r).toMatchObject({ ok: false, code: 'bad_args' });
    expect(!r.ok && r.message).toContain('startLine');
    expect(await callReadTool(guard, 'search', null)).toMatchObject({
      ok: false,
      code: 'bad_args',
    });
    expect(await callReadTool(guard, 'find_files', { pattern: 7 })).toMatchObject({
      ok: false,
      code: 'bad_args',
    });
  });

  test('an unknown tool is bad_args listing the real ones', async () => {
    const { guard } = await setup();
    for (const name of ['write_file', 'toString', '__proto__']) {
      const r = await callReadTool(guard, name, {});
      expect(r).toMatchObject({ ok: false, code: 'bad_args' });
      expect(!r.ok && r.message).toContain('read_file');
    }
  });

  test('a missing ripgrep is tool_unavailable, not a crash', async () => {
    const { guard } = await setup();
    const opts = { rgPath: '/nonexistent/rg' };
    expect(await callReadTool(guard, 'search', { query: 'x' }, opts)).toMatchObject({
      ok: false,
      code: 'tool_unavailable',
    });
    expect(await callReadTool(guard, 'find_files', { pattern: '*' }, opts)).toMatchObject({
      ok: false,
      code: 'tool_unavailable',
    });
  });
});

describe('readToolDefinitions', () => {
  test('every tool converts to a JSON schema a model API accepts', () => {
    const names = readToolDefinitions.map((d) => d.name);
    expect(names).toEqual(['read_file', 'list_dir', 'search', 'find_files']);
    for (const def of readToolDefinitions) {
      const schema = z.toJSONSchema(def.parameters);
      expect(schema).toMatchObject({ type: 'object' });
      expect(def.description.length).toBeGreaterThan(40);
    }
  });
});
