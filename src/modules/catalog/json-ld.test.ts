import { describe, expect, it } from 'vitest';
import type { Channel, Service } from './model.ts';
import { jsonLdText, openingHoursSpecification, placeJsonLd, serviceJsonLd } from './json-ld.ts';
import type { ServiceView } from './read.ts';

const channel = (kind: Channel['kind'], extra: Partial<Channel> = {}): Channel => ({
  id: `00000000-0000-4000-8000-00000000000${['e_service', 'phone', 'service_location', 'web_page', 'printable_form'].indexOf(kind)}`,
  tenantId: 't',
  externalId: null,
  organizationId: null,
  kind,
  status: 'published',
  names: { fi: `Kanava ${kind}` },
  summary: {},
  description: {},
  address: null,
  latitude: null,
  longitude: null,
  phones: [],
  email: null,
  urls: {},
  formIdentifier: {},
  requiresAuthentication: false,
  requiresSignature: false,
  serviceHours: [],
  languages: ['fi'],
  orgUnitId: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

const unit = channel('service_location', {
  names: { fi: 'Kirjasto', sv: 'Biblioteket' },
  address: { street: { fi: 'Kirjastokatu', sv: 'Biblioteksgatan' }, streetNumber: '3', postalCode: '00990', postOffice: { fi: 'ESIMERKKILÄ' } },
  latitude: 60.4,
  longitude: 24.9,
  phones: [{ number: '+358 9 123', lang: 'fi', chargeType: null, chargeDescription: null }],
  serviceHours: [
    { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '10:00', to: '20:00' }], info: {} },
    { type: 'regular', validFrom: '2026-06-01', validTo: '2026-08-16', isClosed: false, hours: [{ dayFrom: 'Saturday', dayTo: 'Sunday', from: '00:00', to: '24:00' }], info: {} },
    { type: 'exceptional', validFrom: '2026-12-24', validTo: '2026-12-26', isClosed: true, hours: [], info: {} },
    { type: 'exceptional', validFrom: '2026-04-30', validTo: null, isClosed: false, hours: [{ dayFrom: 'Thursday', dayTo: null, from: '10:00', to: '14:00' }], info: {} },
  ],
});

const service: Service = {
  id: '11111111-1111-4111-8111-111111111111',
  tenantId: 't',
  externalId: 'ptv-1',
  organizationId: null,
  type: 'Service',
  status: 'published',
  names: { fi: 'Kirjastokortti', sv: 'Bibliotekskort' },
  alternativeNames: {},
  summary: { fi: 'Hae kirjastokortti </script><script>alert(1)</script>' },
  description: {},
  userInstructions: {},
  chargeType: 'Free',
  chargeDescription: {},
  serviceClasses: [{ code: 'P25.1', name: { fi: 'Kirjastot' } }],
  targetGroups: [{ code: 'KR1', name: { fi: 'Kansalaiset' } }],
  keywords: {},
  languages: ['fi'],
  localKeywords: {},
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const view: ServiceView = {
  service,
  organization: null,
  channels: {
    e_service: [channel('e_service', { urls: { fi: 'https://e.example/fi' } })],
    phone: [channel('phone', { phones: [{ number: '+358 9 555', lang: 'fi', chargeType: 'Charged', chargeDescription: null }] })],
    service_location: [unit],
    web_page: [channel('web_page', { urls: { fi: 'https://www.example/fi' } })],
    printable_form: [],
  },
};
const ctx = { lang: 'sv' as const, fallback: 'fi' as const, origin: 'https://kunta.example', tenantName: { fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad' } };

describe('JSON-LD', () => {
  it('a GovernmentService with provider and channels in the resident order', () => {
    const ld = serviceJsonLd(view, ctx);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'GovernmentService',
      url: `https://kunta.example/sv/services/${service.id}`,
      name: 'Bibliotekskort',
      // Falls back to the tenant default where Swedish is missing.
      serviceType: 'Kirjastot',
      provider: { '@type': 'GovernmentOrganization', name: 'Exempelby stad' },
    });
    const channels = ld.availableChannel as Record<string, any>[];
    expect(channels.map((c) => c['@type'])).toEqual(['ServiceChannel', 'ServiceChannel', 'ServiceChannel', 'ServiceChannel']);
    expect(channels[0].serviceUrl).toBe('https://e.example/fi');
    expect(channels[1].servicePhone).toMatchObject({ '@type': 'ContactPoint', telephone: '+358 9 555' });
    expect(channels[2].serviceLocation).toMatchObject({ '@type': 'GovernmentOffice', name: 'Biblioteket', address: { streetAddress: 'Biblioteksgatan 3', postalCode: '00990', addressCountry: 'FI' } });
    expect(channels[3].serviceUrl).toBe('https://www.example/fi');
  });

  it('a Place with address, geo and opening hours, exceptional days with validFrom/validThrough', () => {
    const ld = placeJsonLd(unit, { ...ctx, lang: 'fi' });
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'GovernmentOffice',
      geo: { '@type': 'GeoCoordinates', latitude: 60.4, longitude: 24.9 },
      telephone: '+358 9 123',
    });
    expect(openingHoursSpecification(unit.serviceHours)).toEqual([
      {
        '@type': 'OpeningHoursSpecification',
        dayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((d) => `https://schema.org/${d}`),
        opens: '10:00',
        closes: '20:00',
      },
      {
        '@type': 'OpeningHoursSpecification',
        dayOfWeek: ['https://schema.org/Saturday', 'https://schema.org/Sunday'],
        opens: '00:00',
        closes: '23:59',
        validFrom: '2026-06-01',
        validThrough: '2026-08-16',
      },
      { '@type': 'OpeningHoursSpecification', opens: '00:00', closes: '00:00', validFrom: '2026-12-24', validThrough: '2026-12-26' },
      { '@type': 'OpeningHoursSpecification', opens: '10:00', closes: '14:00', validFrom: '2026-04-30', validThrough: '2026-04-30' },
    ]);
  });

  it('cannot close its script element', () => {
    const text = jsonLdText(serviceJsonLd(view, { ...ctx, lang: 'fi' }));
    expect(text).not.toContain('</script>');
    expect(text).not.toContain('<');
    expect(JSON.parse(text).description).toContain('</script><script>');
  });
});
