import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { AppError } from '@boocode/protocol';
import {
  ensureProvidersFile,
  patchProvidersFile,
  readProviders,
} from '../../src/providers/config-file.ts';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'boocode-providers-'));
  file = path.join(dir, 'coder-providers.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const ids = async () => (await readProviders(file)).entries.map((e) => e.id);
const BUILTIN = ['boocode', 'claude', 'opencode', 'goose', 'qwen', 'copilot', 'cursor'];

describe('the defaults file', () => {
  test('is written on first start as pretty JSON naming the seven providers', async () => {
    await ensureProvidersFile(file);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('\n  "providers": {\n    "boocode": {');
    const doc = JSON.parse(text) as {
      providers: Record<string, { command?: string; args?: string[] }>;
    };
    expect(Object.keys(doc.providers)).toEqual(BUILTIN);
    expect(doc.providers.qwen).toMatchObject({ command: 'qwen', args: ['--acp'] });
    expect(await readProviders(file)).toMatchObject({ error: null });
  });

  test('an existing file, even a bad one, is left as it is', async () => {
    await writeFile(file, '{ nope');
    await ensureProvidersFile(file);
    expect(await readFile(file, 'utf8')).toBe('{ nope');
  });

  test('a missing file reads as the defaults, without an error', async () => {
    expect(await ids()).toEqual(BUILTIN);
    expect((await readProviders(file)).error).toBeNull();
  });
});

describe('merging over the defaults', () => {
  test("an entry's fields replace the default's; the rest of the default stays", async () => {
    await writeFile(
      file,
      JSON.stringify({ providers: { qwen: { enabled: false, env: { A: 'b' } } } }),
    );
    const qwen = (await readProviders(file)).entries.find((e) => e.id === 'qwen');
    expect(qwen).toMatchObject({
      enabled: false,
      label: 'Qwen Code',
      command: 'qwen',
      args: ['--acp'],
      env: { A: 'b' },
    });
  });

  test('a new command for a built-in drops its default arguments', async () => {
    await writeFile(file, JSON.stringify({ providers: { opencode: { command: '/opt/oc' } } }));
    const oc = (await readProviders(file)).entries.find((e) => e.id === 'opencode');
    expect(oc).toMatchObject({ command: '/opt/oc', args: [] });
  });

  test('an entry the user adds comes after the built-ins, labelled by its id', async () => {
    await writeFile(file, JSON.stringify({ providers: { mine: { command: 'my-agent' } } }));
    const { entries, error } = await readProviders(file);
    expect(error).toBeNull();
    expect(entries.map((e) => e.id)).toEqual([...BUILTIN, 'mine']);
    expect(entries.at(-1)).toMatchObject({ label: 'mine', driver: 'acp', enabled: true });
  });
});

describe('a bad file', () => {
  const errorOf = async (text: string) => {
    await writeFile(file, text);
    const r = await readProviders(file);
    expect(r.entries.map((e) => e.id)).toEqual(BUILTIN);
    return r.error;
  };

  test('that is not JSON names the line where it breaks', async () => {
    const text = '{\n  "providers": {\n    "qwen": { "enabled": fals }\n  }\n}\n';
    expect(await errorOf(text)).toMatch(new RegExp(`^${file} line 3: not valid JSON`));
  });

  test('with a trailing comma names its line (JSON.parse gives a position)', async () => {
    expect(await errorOf('{\n  "providers": {},\n}')).toMatch(/ line 3: not valid JSON/);
  });

  test('with a wrong type names the line of that key and its path', async () => {
    const text = JSON.stringify({ providers: { claude: {}, qwen: { enabled: 'no' } } }, null, 2);
    expect(await errorOf(text)).toMatch(/ line 5: providers\.qwen\.enabled: /);
  });

  test('with an unknown key names the line of that key', async () => {
    const text = JSON.stringify({ providers: { goose: { enabled: true, colour: 'x' } } }, null, 2);
    expect(await errorOf(text)).toMatch(/ line 5: providers\.goose\.colour: unknown key/);
  });

  test('with a bad provider id names its line', async () => {
    const text = JSON.stringify({ providers: { qwen: {}, 'Bad Id': { command: 'x' } } }, null, 2);
    expect(await errorOf(text)).toMatch(/ line 4: providers\.Bad Id/);
  });

  test('with an added provider without a command says so at its line', async () => {
    const text = JSON.stringify({ providers: { mine: { label: 'Mine' } } }, null, 2);
    expect(await errorOf(text)).toMatch(/ line 3: providers\.mine: .*needs a "command"/);
  });
});

describe('patching one entry', () => {
  test('changes that entry only and keeps the rest of the file', async () => {
    const doc = { providers: { qwen: { env: { X: '1' } }, mine: { command: 'a', args: ['b'] } } };
    await writeFile(file, JSON.stringify(doc));
    await patchProvidersFile(file, 'qwen', { enabled: false });
    const after = JSON.parse(await readFile(file, 'utf8')) as unknown;
    expect(after).toEqual({
      providers: { qwen: { env: { X: '1' }, enabled: false }, mine: doc.providers.mine },
    });
  });

  test('of a built-in not in the file adds just that field', async () => {
    await writeFile(file, JSON.stringify({ providers: {} }));
    await patchProvidersFile(file, 'copilot', { enabled: false });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      providers: { copilot: { enabled: false } },
    });
  });

  test('with no file yet writes the defaults with the change, readable by its owner only', async () => {
    await patchProvidersFile(file, 'goose', { enabled: false });
    expect((await readProviders(file)).entries.find((e) => e.id === 'goose')?.enabled).toBe(false);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  test('refuses a bad file with its error as a conflict, and leaves it untouched', async () => {
    await writeFile(file, '{"providers": [}');
    const err = await patchProvidersFile(file, 'qwen', { enabled: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'conflict', message: expect.stringMatching(/line 1/) });
    expect(await readFile(file, 'utf8')).toBe('{"providers": [}');
  });
});
