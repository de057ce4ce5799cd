import { describe, expect, it } from 'vitest';
import { hetuCheckChar, isValidHetu, maskHetu, parseHetu } from './hetu.ts';

describe('HETU (Finnish personal identity code)', () => {
  it('computes the check character (DDMMYYZZZ mod 31)', () => {
    expect(hetuCheckChar('210281', '998')).toBe('8');
    expect(hetuCheckChar('010280', '952')).toBe('L');
    expect(hetuCheckChar('081181', '998')).toBe('4');
    expect(hetuCheckChar('131052', '308')).toBe('T'); // the classic example from DVV
    expect(hetuCheckChar('020202', '956')).toBe('8');
  });

  it('accepts the Suomi.fi test identities', () => {
    for (const code of ['210281-9988', '010280-952L', '081181-9984', '020202A9568', '311299-999E']) {
      expect(isValidHetu(code), code).toBe(true);
    }
  });

  it('refuses a wrong check character, impossible dates and bad shapes', () => {
    expect(isValidHetu('210281-9989')).toBe(false);
    expect(isValidHetu('150395-954N')).toBe(false);
    expect(isValidHetu('310281-9988')).toBe(false); // 31 Feb
    expect(isValidHetu('290201A9562')).toBe(false); // 2001 is not a leap year
    expect(isValidHetu('210281_9988')).toBe(false);
    expect(isValidHetu('210281-998')).toBe(false);
    expect(isValidHetu('210281-0018')).toBe(false); // individual numbers start at 002
    expect(isValidHetu('')).toBe(false);
  });

  it('reads the century from the new and old century signs', () => {
    expect(parseHetu('010280-952L')?.birthDate).toBe('1980-02-01');
    expect(parseHetu('010280Y952L')?.birthDate).toBe('1980-02-01');
    expect(parseHetu('020202A9568')?.birthDate).toBe('2002-02-02');
    expect(parseHetu('020202B9568')?.birthDate).toBe('2002-02-02');
    expect(parseHetu('131052-308T')).toEqual({ birthDate: '1952-10-13', sex: 'female', temporary: false });
    expect(parseHetu('210281-9988')?.temporary).toBe(true);
  });

  it('masks the code for display', () => {
    expect(maskHetu('010280-952L')).toBe('010280-***L');
    expect(maskHetu('x')).toBe('***');
  });
});
