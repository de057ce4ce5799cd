import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPath, formatPhone, mapChannel, mapPtvDocument, mapServiceHours, validatePtvDocument, type PtvChannel } from './ptv-schema.ts';

const fixture = () => JSON.parse(readFileSync('src/server/demo/ptv-catalog.json', 'utf8'));

function errorsOf(doc: unknown) {
  const r = validatePtvDocument(doc);
  if (r.ok) throw new Error('expected the document to be refused');
  return r.errors;
}

describe('PTV document validation', () => {
  it('accepts the fixture, with unknown fields (PTV adds fields) tolerated', () => {
    const doc = fixture();
    doc.services[0].someNewPtvField = { anything: true };
    doc.serviceChannels[0].addresses[0].streetAddress.municipality = { code: '091' };
    const r = validatePtvDocument(doc);
    expect(r.ok).toBe(true);
  });

  it('names the exact path of each wrong field', () => {
    const doc = fixture();
    doc.services[3].serviceNames[0].language = 'de';
    doc.services[7].type = 'Permit';
    doc.services[8].serviceChargeType = 'Cheap';
    doc.serviceChannels[4].serviceChannelType = 'Fax';
    doc.serviceChannels[0].addresses[0].streetAddress.latitude = 'north';
    doc.serviceChannels[0].serviceHours[1].validFrom = '24.12.2025';
    doc.serviceChannels[0].serviceHours[0].openingHour[1].dayFrom = 'Maanantai';
    delete doc.services[9].id;
    expect(errorsOf(doc)).toMatchObject([
      { path: 'services[3].serviceNames[0].language', message: 'expected one of fi, sv, en' },
      { path: 'services[7].type', message: 'expected one of Service, PermitOrObligation' },
      { path: 'services[8].serviceChargeType', message: 'expected one of Charged, FreeOfCharge, Other' },
      { path: 'services[9].id', message: 'required' },
      { path: 'serviceChannels[0].addresses[0].streetAddress.latitude', message: 'expected a number' },
      { path: 'serviceChannels[0].serviceHours[0].openingHour[1].dayFrom', message: 'expected one of Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday' },
      { path: 'serviceChannels[0].serviceHours[1].validFrom', message: 'expected a date (YYYY-MM-DD)' },
      { path: 'serviceChannels[4].serviceChannelType', message: 'expected one of ServiceLocation, Phone, EChannel, WebPage, PrintableForm' },
    ]);
  });

  it('gives each reason a code and parameters, so pages can say it in the reader\'s language', () => {
    const doc = fixture();
    doc.services[3].serviceNames[0].language = 'de';
    delete doc.services[9].id;
    doc.serviceChannels[0].addresses[0].streetAddress.latitude = 'north';
    expect(errorsOf(doc)).toEqual([
      { path: 'services[3].serviceNames[0].language', message: 'expected one of fi, sv, en', code: 'one_of', params: { values: 'fi, sv, en' } },
      { path: 'services[9].id', message: 'required', code: 'required' },
      { path: 'serviceChannels[0].addresses[0].streetAddress.latitude', message: 'expected a number', code: 'expected_number' },
    ]);
    const dup = fixture();
    dup.serviceChannels[5].id = dup.serviceChannels[2].id;
    expect(errorsOf(dup)[0]).toMatchObject({ code: 'duplicate_id', params: { first: 'serviceChannels[2]' } });
    expect(errorsOf('hello')[0]).toMatchObject({ code: 'not_object' });
  });

  it('refuses a service without a Name, duplicate ids, a missing list and a non-object', () => {
    const doc = fixture();
    doc.services[1].serviceNames = doc.services[1].serviceNames.map((n: { type: string }) => ({ ...n, type: 'AlternativeName' }));
    expect(errorsOf(doc)).toMatchObject([{ path: 'services[1].serviceNames', message: 'at least one name of type Name is required' }]);

    const dup = fixture();
    dup.serviceChannels[5].id = dup.serviceChannels[2].id;
    expect(errorsOf(dup)).toMatchObject([{ path: 'serviceChannels[5].id', message: 'duplicate id (also serviceChannels[2])' }]);

    const noList = fixture();
    delete noList.serviceChannels;
    expect(errorsOf(noList)).toMatchObject([{ path: 'serviceChannels', message: 'required' }]);

    expect(errorsOf('hello')[0].path).toBe('(document)');
    expect(errorsOf(null)[0].path).toBe('(document)');
  });

  it('a link to a channel missing from the document is a warning, and the link is skipped', () => {
    const doc = fixture();
    doc.services[0].serviceChannels.push({ serviceChannelId: '00000000-0000-4000-8000-000000000000' });
    const r = validatePtvDocument(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toMatchObject([{ path: 'services[0].serviceChannels[3].serviceChannelId', message: 'no channel with this id in the document; link skipped' }]);
    const mapped = mapPtvDocument(r.document);
    expect(mapped.services[0].channelExternalIds).toHaveLength(3);
  });

  it('lists at most 100 errors but counts them all', () => {
    const doc = fixture();
    for (const s of doc.services) for (const n of s.serviceNames) n.language = 'xx';
    const r = validatePtvDocument(doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(100);
    expect(r.errorCount).toBe(213);
  });

  it('formats paths the way people read them', () => {
    expect(formatPath(['services', 3, 'serviceNames', 0, 'language'])).toBe('services[3].serviceNames[0].language');
    expect(formatPath([])).toBe('(document)');
  });
});

describe('PTV mapping', () => {
  it('formats phone numbers as dialled', () => {
    expect(formatPhone({ number: '9 4567 1000', prefixNumber: '+358' })).toBe('+358 9 4567 1000');
    expect(formatPhone({ number: '09  4567 1000', prefixNumber: '+358' })).toBe('+358 9 4567 1000');
    expect(formatPhone({ number: '40 123 4567', prefixNumber: '+358' })).toBe('+358 40 123 4567');
    expect(formatPhone({ number: '800 98 765', prefixNumber: '+358', isFinnishServiceNumber: true })).toBe('0800 98 765');
    expect(formatPhone({ number: '0100 1234', prefixNumber: null, isFinnishServiceNumber: true })).toBe('0100 1234');
    expect(formatPhone({ number: '09 123 4567', prefixNumber: null })).toBe('09 123 4567');
  });

  it('maps service hours: regular, dated regular, exceptional closed, single exceptional day', () => {
    const hours = mapServiceHours([
      { serviceHourType: 'DaysOfTheWeek', isClosed: false, openingHour: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }], additionalInformation: [] },
      {
        serviceHourType: 'DaysOfTheWeek',
        validFrom: '2026-06-01',
        validTo: '2026-08-16',
        isClosed: false,
        openingHour: [{ dayFrom: 'Saturday', dayTo: 'Sunday', from: '10:00', to: '16:00' }],
        additionalInformation: [{ language: 'fi', value: 'Kesä' }],
      },
      { serviceHourType: 'Exceptional', validFrom: '2025-12-24', validTo: '2025-12-26', isClosed: true, openingHour: [], additionalInformation: [{ language: 'sv', value: 'Stängt' }] },
      { serviceHourType: 'Exceptional', validFrom: '2026-04-30', isClosed: false, openingHour: [{ dayFrom: 'Thursday', from: '09:00', to: '12:00' }], additionalInformation: [] },
    ] as PtvChannel['serviceHours']);
    expect(hours).toEqual([
      { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '08:00', to: '16:00' }], info: {} },
      { type: 'regular', validFrom: '2026-06-01', validTo: '2026-08-16', isClosed: false, hours: [{ dayFrom: 'Saturday', dayTo: 'Sunday', from: '10:00', to: '16:00' }], info: { fi: 'Kesä' } },
      { type: 'exceptional', validFrom: '2025-12-24', validTo: '2025-12-26', isClosed: true, hours: [], info: { sv: 'Stängt' } },
      { type: 'exceptional', validFrom: '2026-04-30', validTo: '2026-04-30', isClosed: false, hours: [{ dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '12:00' }], info: {} },
    ]);
  });

  it('accepts PTV date-times for validity dates and times with seconds, and keeps the date and HH:MM', () => {
    const doc = fixture();
    doc.serviceChannels[0].serviceHours[1].validFrom = '2025-12-24T00:00:00';
    doc.serviceChannels[0].serviceHours[0].openingHour[0].from = '09:00:00';
    const r = validatePtvDocument(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.document.serviceChannels[0].serviceHours[1].validFrom).toBe('2025-12-24');
    expect(r.document.serviceChannels[0].serviceHours[0].openingHour[0].from).toBe('09:00');
  });

  it('maps each channel kind', () => {
    const r = validatePtvDocument(fixture());
    if (!r.ok) throw new Error('fixture invalid');
    const byType = (type: string) => r.document.serviceChannels.find((c) => c.serviceChannelType === type)!;
    const org = r.document.organization.id;
    const loc = mapChannel(byType('ServiceLocation'), org);
    expect(loc).toMatchObject({ kind: 'service_location', latitude: 60.4012, longitude: 24.9087, address: { streetNumber: '1', postalCode: '00990' } });
    expect(mapChannel(byType('Phone'), org).phones[0].number).toBe('+358 9 4567 1000');
    expect(mapChannel(byType('EChannel'), org)).toMatchObject({ kind: 'e_service', requiresAuthentication: true, urls: { fi: 'https://asiointi.esimerkkila.fi/' } });
    expect(mapChannel(byType('WebPage'), org)).toMatchObject({ kind: 'web_page', urls: { en: 'https://www.esimerkkila.fi/en' } });
    expect(mapChannel(byType('PrintableForm'), org)).toMatchObject({
      kind: 'printable_form',
      formIdentifier: { fi: 'VK-3', sv: 'VK-3' },
      urls: { fi: 'https://www.esimerkkila.fi/lomakkeet/vk-3-tuloselvitys.pdf' },
    });
  });

  it('maps services: names, alternative names, descriptions, charge type, classes; and both organizations', () => {
    const r = validatePtvDocument(fixture());
    if (!r.ok) throw new Error('fixture invalid');
    const m = mapPtvDocument(r.document);
    expect(m.organizations.map((o) => o.names.fi)).toEqual(['Esimerkkilän kaupunki', 'Esimerkinmaan hyvinvointialue']);
    const s = m.services[0];
    expect(s).toMatchObject({
      type: 'Service',
      status: 'published',
      chargeType: 'Charged',
      alternativeNames: { fi: ['Päivähoitopaikan hakeminen'] },
      keywords: { fi: ['varhaiskasvatushakemus', 'päiväkoti', 'vuorohoito'] },
      targetGroups: [{ code: 'KR1.2', name: { fi: 'Lapset ja lapsiperheet' } }],
      languages: ['fi', 'sv', 'en'],
    });
    expect(s.userInstructions.fi).toMatch(/^Täytä hakemus/);
    expect(m.services.filter((x) => x.chargeType === 'Free').length).toBeGreaterThan(0);
  });
});
