import { describe, expect, it } from 'vitest';
import { helsinkiDayStart } from './browse.ts';

describe('helsinkiDayStart', () => {
  it('finds midnight in Helsinki in winter and summer time and across DST changes', () => {
    expect(helsinkiDayStart('2026-01-15')?.toISOString()).toBe('2026-01-14T22:00:00.000Z');
    expect(helsinkiDayStart('2026-07-01')?.toISOString()).toBe('2026-06-30T21:00:00.000Z');
    expect(helsinkiDayStart('2026-03-29')?.toISOString()).toBe('2026-03-28T22:00:00.000Z');
    expect(helsinkiDayStart('2026-03-30')?.toISOString()).toBe('2026-03-29T21:00:00.000Z');
    expect(helsinkiDayStart('2026-10-25')?.toISOString()).toBe('2026-10-24T21:00:00.000Z');
    expect(helsinkiDayStart('2026-10-26')?.toISOString()).toBe('2026-10-25T22:00:00.000Z');
  });

  it('refuses dates that do not exist', () => {
    expect(helsinkiDayStart('2026-02-30')).toBeNull();
    expect(helsinkiDayStart('26-1-1')).toBeNull();
  });
});
