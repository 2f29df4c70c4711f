import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createPathGuard, isInside, type Resolved } from '../src/path-guard.ts';
import { tempDir, writeTree } from './temp-dirs.ts';

// base/repo is the root; base/repo-evil and base/outside are not.
async function setup() {
  const base = await tempDir();
  const root = path.join(base, 'repo');
  await writeTree(base, {
    'repo/a.txt': 'a\n',
    'repo/sub/b.txt': 'b\n',
    'repo-evil/secret.txt': 'evil\n',
    'outside/secret.txt': 'secret\n',
  });
  const guard = createPathGuard([{ id: 'repo', path: root }]);
  return { base, root, guard };
}

function expectOk(r: Resolved, abs: string, rel: string) {
  expect(r).toMatchObject({ ok: true, abs, rel });
}

function expectRefused(r: Resolved, code: string) {
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.code).toBe(code);
    expect(r.message.length).toBeGreaterThan(10);
  }
}

describe('createPathGuard', () => {
  test('a file inside the root resolves to its real path', async () => {
    const { root, guard } = await setup();
    expectOk(await guard.resolve('sub/b.txt'), path.join(root, 'sub/b.txt'), 'sub/b.txt');
  });

  test('a missing file in missing directories resolves, for write tools to create', async () => {
    const { root, guard } = await setup();
    expectOk(
      await guard.resolve('new/dir/c.txt'),
      path.join(root, 'new/dir/c.txt'),
      'new/dir/c.txt',
    );
  });

  test('the empty path and "." are the root itself', async () => {
    const { root, guard } = await setup();
    expectOk(await guard.resolve(''), root, '.');
    expectOk(await guard.resolve('./'), root, '.');
  });

  test('".." that stays inside is folded', async () => {
    const { root, guard } = await setup();
    expectOk(await guard.resolve('sub/../a.txt'), path.join(root, 'a.txt'), 'a.txt');
  });

  test('".." escaping the root is refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('../outside/secret.txt'), 'outside_root');
    expectRefused(await guard.resolve('sub/../../outside/secret.txt'), 'outside_root');
    expectRefused(await guard.resolve('..'), 'outside_root');
  });

  test('an absolute path inside the root is accepted', async () => {
    const { root, guard } = await setup();
    expectOk(await guard.resolve(path.join(root, 'a.txt')), path.join(root, 'a.txt'), 'a.txt');
  });

  test('an absolute path outside the root is refused', async () => {
    const { base, guard } = await setup();
    expectRefused(await guard.resolve('/etc/passwd'), 'outside_root');
    expectRefused(await guard.resolve(path.join(base, 'outside/secret.txt')), 'outside_root');
  });

  test('an absolute path climbing out of the root with ".." is refused', async () => {
    const { root, guard } = await setup();
    expectRefused(await guard.resolve(`${root}/../outside/secret.txt`), 'outside_root');
  });

  test('a sibling whose name starts with the root name is refused', async () => {
    const { base, guard } = await setup();
    expectRefused(await guard.resolve(path.join(base, 'repo-evil/secret.txt')), 'outside_root');
    expectRefused(await guard.resolve(path.join(base, 'repo-evil')), 'outside_root');
  });

  test('a symlinked directory pointing out is refused', async () => {
    const { root, guard } = await setup();
    await symlink('../outside', path.join(root, 'out'));
    expectRefused(await guard.resolve('out/secret.txt'), 'outside_root');
    expectRefused(await guard.resolve('out'), 'outside_root');
    expectRefused(await guard.resolve('out/new-file.txt'), 'outside_root');
  });

  test('a symlinked file pointing out is refused', async () => {
    const { root, guard } = await setup();
    await symlink('../outside/secret.txt', path.join(root, 'leak.txt'));
    expectRefused(await guard.resolve('leak.txt'), 'outside_root');
  });

  test('a dangling symlink pointing out is refused, so a write cannot create the target', async () => {
    const { base, root, guard } = await setup();
    await symlink(path.join(base, 'outside/not-yet.txt'), path.join(root, 'dangling'));
    expectRefused(await guard.resolve('dangling'), 'outside_root');
    await symlink('../outside/nodir/deeper', path.join(root, 'dangling-dir'));
    expectRefused(await guard.resolve('dangling-dir/file.txt'), 'outside_root');
  });

  test('a chain of dangling links is followed to its end', async () => {
    const { root, guard } = await setup();
    await symlink('../outside/later.txt', path.join(root, 'last'));
    await symlink('last', path.join(root, 'first'));
    expectRefused(await guard.resolve('first'), 'outside_root');
  });

  test('a dangling symlink pointing inside resolves to its target', async () => {
    const { root, guard } = await setup();
    await symlink('sub/future.txt', path.join(root, 'future'));
    expectOk(await guard.resolve('future'), path.join(root, 'sub/future.txt'), 'sub/future.txt');
  });

  test('a symlink inside pointing inside resolves to its target', async () => {
    const { root, guard } = await setup();
    await symlink('sub', path.join(root, 'sub-link'));
    await symlink('a.txt', path.join(root, 'a-link'));
    expectOk(await guard.resolve('sub-link/b.txt'), path.join(root, 'sub/b.txt'), 'sub/b.txt');
    expectOk(await guard.resolve('a-link'), path.join(root, 'a.txt'), 'a.txt');
  });

  test('a symlink loop is refused', async () => {
    const { root, guard } = await setup();
    await symlink('loop-b', path.join(root, 'loop-a'));
    await symlink('loop-a', path.join(root, 'loop-b'));
    expectRefused(await guard.resolve('loop-a/x'), 'symlink_loop');
    expectRefused(await guard.resolve('loop-a'), 'symlink_loop');
  });

  test('a path through a file is refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('a.txt/x'), 'not_a_directory');
  });

  test('a NUL byte is refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('a.txt\0.png'), 'bad_path');
    expectRefused(await guard.resolve('\0'), 'bad_path');
  });

  test('percent-encoded dots, slashes, backslashes and double encoding are refused', async () => {
    const { guard } = await setup();
    for (const input of [
      '%2e%2e%2foutside',
      '..%2Fsecret',
      '%2E%2E',
      'a%5cb',
      '%252e%252e',
      '%c0%ae',
      '%u002e',
      'a%00b',
    ]) {
      expectRefused(await guard.resolve(input), 'bad_path');
    }
  });

  test('other percent signs are taken literally, never decoded', async () => {
    const { root, guard } = await setup();
    expectOk(
      await guard.resolve('my%20file.txt'),
      path.join(root, 'my%20file.txt'),
      'my%20file.txt',
    );
  });

  test('backslashes, drive letters and UNC paths are refused', async () => {
    const { guard } = await setup();
    for (const input of [
      '..\\outside',
      'sub\\b.txt',
      'C:\\Windows',
      'C:',
      'c:/x',
      '\\\\server\\share',
    ]) {
      expectRefused(await guard.resolve(input), 'bad_path');
    }
  });

  test('a leading "//" is an absolute path like any other', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('//server/share'), 'outside_root');
  });

  test('"~" is never expanded', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('~/.ssh/id_rsa'), 'bad_path');
    expectRefused(await guard.resolve('~root'), 'bad_path');
  });

  test('URLs are refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('file:///etc/passwd'), 'bad_path');
  });

  test('unicode look-alikes of dots and slashes are plain names inside the root', async () => {
    const { root, guard } = await setup();
    expectOk(await guard.resolve('．．／x'), path.join(root, '．．／x'), '．．／x');
    expectOk(await guard.resolve('\u2215etc'), path.join(root, '\u2215etc'), '\u2215etc');
  });

  test('control characters are refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('a\nb'), 'bad_path');
  });

  test('overlong paths and segments are refused', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve('a/'.repeat(2100)), 'bad_path');
    expectRefused(await guard.resolve('x'.repeat(256)), 'bad_path');
    expectRefused(await guard.resolve('é'.repeat(128)), 'bad_path');
  });

  test('input that is not a string is refused, not thrown', async () => {
    const { guard } = await setup();
    expectRefused(await guard.resolve(42 as unknown as string), 'bad_path');
  });

  test('a root that is itself a symlink works by either spelling', async () => {
    const { base, root } = await setup();
    const link = path.join(base, 'repo-link');
    await symlink(root, link);
    const guard = createPathGuard([{ id: 'repo', path: link }]);
    expectOk(await guard.resolve('a.txt'), path.join(root, 'a.txt'), 'a.txt');
    expectOk(await guard.resolve(path.join(link, 'a.txt')), path.join(root, 'a.txt'), 'a.txt');
    expectOk(await guard.resolve(path.join(root, 'a.txt')), path.join(root, 'a.txt'), 'a.txt');
    expectRefused(await guard.resolve(`${link}/../outside/secret.txt`), 'outside_root');
  });

  test('an absolute path outside every root is refused even if it links back inside', async () => {
    const { base, root, guard } = await setup();
    await symlink(root, path.join(base, 'outside/back-in'));
    expectRefused(await guard.resolve(path.join(base, 'outside/back-in/a.txt')), 'outside_root');
  });

  test('with two roots, relative paths use the first or the named one', async () => {
    const { base, root } = await setup();
    const other = path.join(base, 'other');
    await mkdir(other);
    await writeFile(path.join(other, 'o.txt'), 'o\n');
    const guard = createPathGuard([
      { id: 'repo', path: root },
      { id: 'other', path: other },
    ]);
    expectOk(await guard.resolve('a.txt'), path.join(root, 'a.txt'), 'a.txt');
    const named = await guard.resolve('o.txt', { root: 'other' });
    expectOk(named, path.join(other, 'o.txt'), 'o.txt');
    expect(named.ok && named.root.id).toBe('other');
    const absolute = await guard.resolve(path.join(other, 'o.txt'));
    expect(absolute.ok && absolute.root.id).toBe('other');
    expectRefused(await guard.resolve('../other/o.txt'), 'outside_root');
    expectRefused(await guard.resolve(path.join(root, 'a.txt'), { root: 'other' }), 'outside_root');
    expectRefused(await guard.resolve('a.txt', { root: 'nope' }), 'unknown_root');
  });

  test('a link from one root into another is refused for the first', async () => {
    const { base, root } = await setup();
    const other = path.join(base, 'other');
    await mkdir(other);
    await symlink(other, path.join(root, 'to-other'));
    const guard = createPathGuard([
      { id: 'repo', path: root },
      { id: 'other', path: other },
    ]);
    expectRefused(await guard.resolve('to-other/x'), 'outside_root');
  });

  test('a missing root is a configuration error thrown at creation', async () => {
    const base = await tempDir();
    expect(() => createPathGuard([{ id: 'x', path: path.join(base, 'nope') }])).toThrow();
    expect(() => createPathGuard([])).toThrow();
    expect(() => createPathGuard([{ id: 'x', path: 'relative' }])).toThrow();
  });
});

describe('isInside', () => {
  test('is not fooled by a sibling sharing the prefix', () => {
    expect(isInside('/tmp/x/repo', '/tmp/x/repo-evil')).toBe(false);
    expect(isInside('/tmp/x/repo', '/tmp/x/repo-evil/a')).toBe(false);
  });

  test('accepts the root itself and paths below it', () => {
    expect(isInside('/tmp/x/repo', '/tmp/x/repo')).toBe(true);
    expect(isInside('/tmp/x/repo/', '/tmp/x/repo/a/b')).toBe(true);
    expect(isInside('/', '/anything')).toBe(true);
  });

  test('folds ".." before comparing', () => {
    expect(isInside('/tmp/x/repo', '/tmp/x/repo/../secret')).toBe(false);
  });

  test('refuses relative paths', () => {
    expect(isInside('/tmp/x/repo', 'a')).toBe(false);
    expect(isInside('repo', '/repo/a')).toBe(false);
  });
});
