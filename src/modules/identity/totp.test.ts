import { describe, expect, it } from 'vitest';
import { newTotpSecret, totpCode, totpStep, totpUri } from './totp.ts';

describe('totp', () => {
  const secret = newTotpSecret();
  const now = 1_780_000_000_000;

  it('makes a base32 secret of 160 bits and an otpauth URI apps read', () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'Aukio Esimerkkilä', 'admin@esimerkkila.fi'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('issuer')).toBe('Aukio Esimerkkilä');
    expect(uri.searchParams.get('digits')).toBe('6');
  });

  it('accepts the current code with one step of drift and returns its step', () => {
    const step = Math.floor(now / 30_000);
    expect(totpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(totpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(totpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(totpStep(secret, ` ${totpCode(secret, now).slice(0, 3)} ${totpCode(secret, now).slice(3)} `, now)).toBe(step);
  });

  it('refuses codes two steps away, wrong codes and non-codes', () => {
    expect(totpStep(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(totpStep(secret, totpCode(secret, now + 90_000), now)).toBeNull();
    expect(totpStep(secret, '12345', now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
    expect(totpStep(newTotpSecret(), totpCode(secret, now), now)).toBeNull();
  });
});
