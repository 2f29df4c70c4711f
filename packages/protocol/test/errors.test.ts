import { describe, expect, it } from 'vitest';
import { AppError, notFound } from '../src/index.ts';

describe('notFound', () => {
  it('is an AppError with the one not-found code, a 404, naming the thing', () => {
    const err = notFound('SSH host');
    expect(err).toBeInstanceOf(AppError);
    expect({ code: err.code, status: err.status, message: err.message }).toEqual({
      code: 'not_found',
      status: 404,
      message: 'No such SSH host.',
    });
  });
});
