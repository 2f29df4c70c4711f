import { describe, expect, it } from 'vitest';
import { chatPath, parseRoute } from '../../src/lib/router.ts';

describe('parseRoute', () => {
  it('reads a chat’s id from its path, decoded', () => {
    expect(parseRoute('/c/abc%20d')).toEqual({ name: 'chat', chatId: 'abc d' });
    expect(parseRoute('/c/abc/')).toEqual({ name: 'chat', chatId: 'abc' });
  });

  it('takes any other path for the home screen', () => {
    expect(parseRoute('/')).toEqual({ name: 'home' });
    expect(parseRoute('/c/abc/more')).toEqual({ name: 'home' });
  });

  it('reads back the path chatPath writes', () => {
    expect(parseRoute(chatPath('a/b?c'))).toEqual({ name: 'chat', chatId: 'a/b?c' });
  });
});
