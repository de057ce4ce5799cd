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
    const last = sealed.at(-1) === 'A' ? 'B' : 'A';
    expect(box.open(sealed.slice(0, -1) + last, 'tenant-1')).toBeNull();
    expect(box.open('client-secret', 'tenant-1')).toBeNull();
    expect(box.open('aukio-sealed:v1:xx', 'tenant-1')).toBeNull();
  });
});
