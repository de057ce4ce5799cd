import { describe, expect, it } from 'vitest';
import { SecretBox } from './crypto.ts';

describe('SecretBox', () => {
  const box = new SecretBox('a-session-secret-of-at-least-32-characters');

  it('seals with a fresh IV each time and opens with the same key and context', () => {
    const a = box.seal('client-secret', 'ctx');
    const b = box.seal('client-secret', 'ctx');
    expect(a).not.toBe(b);
    expect(a).not.toContain('client-secret');
    expect(SecretBox.isSealed(a)).toBe(true);
    expect(box.open(a, 'ctx')).toBe('client-secret');
  });

  it('refuses another context, another key, tampering and plain text', () => {
    const sealed = box.seal('client-secret', 'tenant-1');
    expect(box.open(sealed, 'tenant-2')).toBeNull();
    expect(new SecretBox('another-session-secret-of-32-characters!').open(sealed, 'tenant-1')).toBeNull();
    // Flip a character in the middle: the last base64 character may carry only padding
    // bits, so changing it would not always change a byte.
    const i = Math.floor(sealed.length / 2) + 4;
    const flipped = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
    expect(box.open(flipped, 'tenant-1')).toBeNull();
    expect(box.open('client-secret', 'tenant-1')).toBeNull();
    expect(box.open('aukio-sealed:v1:xx', 'tenant-1')).toBeNull();
  });
});
