import { describe, expect, it } from 'vitest';
import { channelInput, mergePatch, sameValue, serviceInput } from './edit.ts';
import { pageCreateInput, pageStatus } from './pages.ts';
import { normalizeTerm, promotionInput, synonymInput } from '../routing/synonyms.ts';

const fieldsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('service and channel validation', () => {
  it('accepts a minimal local service and refuses unknown fields and bad enums', () => {
    expect(serviceInput.safeParse({ type: 'Service', status: 'draft', names: { fi: 'Nimi' } }).success).toBe(true);
    expect(serviceInput.safeParse({ type: 'Service', status: 'draft', names: { fi: 'Nimi' }, extra: 1 }).success).toBe(false);
    const bad = serviceInput.safeParse({ type: 'Thing', status: 'gone', names: { fi: 'x'.repeat(201) }, chargeType: 'Maybe' });
    expect(fieldsOf(bad as never)).toMatchObject({ type: 'invalid_type', status: 'invalid_status', 'names.fi': 'too_long' });
  });

  it('checks opening hours, postal codes, phones, e-mail, URLs and coordinates', () => {
    const r = channelInput.safeParse({
      kind: 'service_location',
      status: 'draft',
      names: { fi: 'Toimipiste' },
      address: { street: { fi: 'Katu' }, postalCode: '123', postOffice: { fi: 'X' } },
      phones: [{ number: 'soita meille' }],
      email: 'ei-osoite',
      urls: { fi: 'javascript:alert(1)' },
      latitude: 91,
      serviceHours: [{ type: 'regular', hours: [{ dayFrom: 'Maanantai', from: '8', to: '16:00' }] }],
    });
    expect(fieldsOf(r as never)).toMatchObject({
      'address.postalCode': 'invalid_postal_code',
      'phones.0.number': 'invalid_phone',
      email: 'invalid_email',
      'urls.fi': 'invalid_url',
      latitude: 'out_of_range',
      'serviceHours.0.hours.0.dayFrom': 'invalid_day',
      'serviceHours.0.hours.0.from': 'invalid_time',
    });
  });

  it('merges localized objects per language in a PATCH and compares form-equivalent values', () => {
    expect(mergePatch({ names: { fi: 'A', sv: 'B' }, keywords: { fi: ['x'] } }, { names: { sv: 'C' } })).toEqual({ names: { fi: 'A', sv: 'C' }, keywords: { fi: ['x'] } });
    expect(mergePatch({ languages: ['fi', 'sv'] }, { languages: ['fi'] })).toEqual({ languages: ['fi'] });
    expect(sameValue({ fi: 'A', sv: '' }, { fi: 'A' })).toBe(true);
    expect(sameValue([], null)).toBe(true);
    expect(sameValue({ fi: ['a'] }, { fi: ['b'] })).toBe(false);
  });
});

describe('content page validation', () => {
  it('allows only lowercase slugs with single hyphens', () => {
    for (const ok of ['talviajan-ohjeet', 'a1', 'kirjasto']) expect(pageCreateInput.safeParse({ slug: ok, title: { fi: 'x' } }).success, ok).toBe(true);
    for (const bad of ['Talvi', 'talvi ohjeet', '-a', 'a--b', 'ä', '']) expect(pageCreateInput.safeParse({ slug: bad, title: { fi: 'x' } }).success, bad).toBe(false);
  });

  it('derives the list status from the published copy', () => {
    expect(pageStatus({ published: null, version: 3 })).toBe('draft');
    expect(pageStatus({ published: { title: {}, summary: {}, body: {}, version: 3 }, version: 3 })).toBe('published');
    expect(pageStatus({ published: { title: {}, summary: {}, body: {}, version: 2 }, version: 3 })).toBe('changed');
  });
});

describe('synonym validation', () => {
  it('normalizes terms to lowercase, trimmed, single-spaced', () => {
    expect(normalizeTerm('  Päikky   Paikka ')).toBe('päikky paikka');
    expect(synonymInput.parse({ lang: 'fi', term: ' ROSKIS ', expansion: 'Jäteastia' })).toEqual({ lang: 'fi', term: 'roskis', expansion: 'jäteastia' });
  });

  it('refuses empty, too long and unknown-language input', () => {
    expect(fieldsOf(synonymInput.safeParse({ lang: 'de', term: '   ', expansion: 'x'.repeat(201) }) as never)).toEqual({
      lang: 'invalid_language',
      term: 'required',
      expansion: 'too_long',
    });
    expect(promotionInput.safeParse({ lang: 'fi', phrase: 'museo', kind: 'person', refId: 'x' }).success).toBe(false);
  });
});
