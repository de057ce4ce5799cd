import { describe, expect, it } from 'vitest';
import { assertPublicUrl, isPublicAddress, OutboundRefused } from './outbound.ts';

describe('outbound addresses', () => {
  it('tells public addresses from loopback, private, link-local and reserved ones', () => {
    for (const a of ['1.1.1.1', '8.8.8.8', '195.197.54.100', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isPublicAddress(a), a).toBe(true);
    for (const a of [
      '127.0.0.1',
      '127.8.9.10',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::10.0.0.1',
      'not-an-address',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    // Just outside the private ranges.
    expect(isPublicAddress('172.32.0.1')).toBe(true);
    expect(isPublicAddress('11.0.0.1')).toBe(true);
  });

  it('refuses http, private literals and names that resolve to loopback; lets everything through when allowed', async () => {
    await expect(assertPublicUrl('http://1.1.1.1/hook', false)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(assertPublicUrl('https://127.0.0.1/hook', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicUrl('https://[::1]:8443/hook', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicUrl('https://169.254.169.254/latest/meta-data', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicUrl('https://localhost:8443/hook', false)).rejects.toThrow(/not a public address/);
    await expect(assertPublicUrl('https://no-such-host.invalid/hook', false)).rejects.toThrow(/does not resolve/);
    await expect(assertPublicUrl('not a url', false)).rejects.toThrow(/not a URL/);
    await expect(assertPublicUrl('https://1.1.1.1/hook', false)).resolves.toBeUndefined();
    await expect(assertPublicUrl('http://127.0.0.1:9/hook', true)).resolves.toBeUndefined();
  });
});
