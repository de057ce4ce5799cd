import { describe, expect, it } from 'vitest';
import { PageEtags, PageMicrocache } from './microcache.ts';

describe('PageMicrocache validity', () => {
  it('drops a render once the moment it reported passes, even inside the TTL', () => {
    const cache = new PageMicrocache(60_000);
    const tenant = {};
    const page = cache.prepare(200, [], '<p>Avoinna nyt</p>', { nonce: 'n'.repeat(24), csrf: 'c'.repeat(24) }, Date.now() + 50);
    cache.set('k', page, tenant);
    expect(cache.get('k', tenant)).toBe(page);
    page.validUntil = Date.now() - 1;
    expect(cache.get('k', tenant)).toBeUndefined();
  });
});

describe('PageEtags', () => {
  const etags = new PageEtags('build-1');
  const tenant = { id: 't', names: { fi: 'A' } };
  const input = { tenant, contentVersion: 3, url: 'http://a.localhost/fi/services/x', csrf: 'C'.repeat(32) };

  it('matches the same state, in a list and weak or not', () => {
    const tag = etags.tag(input, 0);
    expect(tag).toMatch(/^W\/"[\w-]{22}\.0"$/);
    expect(etags.matches(tag, input)).toBe(true);
    expect(etags.matches(`"other", ${tag}`, input)).toBe(true);
    expect(etags.matches(tag.slice(2), input)).toBe(true);
  });

  it('changes with the content version, URL, CSRF cookie, tenant object and build', () => {
    const tag = etags.tag(input, 0);
    expect(etags.matches(tag, { ...input, contentVersion: 4 })).toBe(false);
    expect(etags.matches(tag, { ...input, url: input.url + '?a' })).toBe(false);
    expect(etags.matches(tag, { ...input, csrf: 'D'.repeat(32) })).toBe(false);
    expect(etags.matches(tag, { ...input, tenant: { ...tenant, names: { fi: 'B' } } })).toBe(false);
    expect(new PageEtags('build-2').matches(tag, input)).toBe(false);
    // The CSRF token itself never appears in the tag.
    expect(tag).not.toContain('CCCC');
  });

  it('refuses a tag past its validity, and one whose validity was edited', () => {
    const now = Date.now();
    const tag = etags.tag(input, now + 1000);
    expect(etags.matches(tag, input, now)).toBe(true);
    expect(etags.matches(tag, input, now + 1000)).toBe(false);
    const forged = tag.replace(/\.([0-9a-z]+)"$/, `.${(now + 10_000_000).toString(36)}"`);
    expect(etags.matches(forged, input, now + 2000)).toBe(false);
  });
});
