import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';

const MARK: unique symbol = Symbol.for('aukio.AppError') as never;

describe('AppError', () => {
  it('is recognised across copies of the class (server and web bundle)', () => {
    // What the web bundle's copy of AppError looks like to the server's copy.
    class OtherCopy extends Error {
      readonly [MARK] = true;
      readonly code = 'not_found';
      readonly status = 404;
      constructor() {
        super('not_found');
        this.name = 'AppError';
      }
    }
    expect(new OtherCopy() instanceof AppError).toBe(true);
    expect(new AppError('forbidden', 403) instanceof AppError).toBe(true);
    expect(new Error('x') instanceof AppError).toBe(false);
    // Looking like one is not enough: only a copy of the class carries the registered mark.
    expect(Object.assign(new Error('x'), { name: 'AppError', code: 'x', status: 1 }) instanceof AppError).toBe(false);
  });
});
