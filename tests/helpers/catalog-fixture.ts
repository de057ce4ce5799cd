import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/platform/db.ts';
import type { ServiceHours } from '../../src/modules/catalog/model.ts';

/**
 * A small catalog written straight into the tables of migrations/0003_catalog.sql, shaped like
 * the PTV sample (src/server/demo/ptv-catalog.json) after import: one published service with a
 * channel of every kind, a draft service, an archived channel, two content pages (one published,
 * one draft only). The importer fills the same tables; pages read nothing else.
 */
export interface CatalogFixture {
  orgId: string;
  serviceId: string;
  draftServiceId: string;
  unitId: string;
  secondUnitId: string;
  archivedUnitId: string;
  eServiceId: string;
  phoneId: string;
  webPageId: string;
  formId: string;
  pageSlug: string;
  draftPageSlug: string;
  classCode: string;
}

export const OFFICE_HOURS: ServiceHours[] = [
  {
    type: 'regular',
    validFrom: null,
    validTo: null,
    isClosed: false,
    hours: [
      { dayFrom: 'Monday', dayTo: 'Wednesday', from: '09:00', to: '16:00' },
      { dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '18:00' },
      { dayFrom: 'Friday', dayTo: null, from: '09:00', to: '15:00' },
    ],
    info: {},
  },
  {
    type: 'exceptional',
    validFrom: '2026-12-24',
    validTo: '2026-12-26',
    isClosed: true,
    hours: [],
    info: { fi: 'Suljettu joulunpyhinä', sv: 'Stängt under julhelgerna' },
  },
  {
    type: 'exceptional',
    validFrom: '2026-04-30',
    validTo: null,
    isClosed: false,
    hours: [{ dayFrom: 'Thursday', dayTo: null, from: '09:00', to: '12:00' }],
    info: { fi: 'Vappuaatto: lyhennetty aukiolo', sv: 'Valborgsmässoafton: kortare öppettid' },
  },
];

const ALWAYS_OPEN: ServiceHours[] = [
  { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Sunday', from: '00:00', to: '23:59' }], info: {} },
];

export async function insertCatalogFixture(db: Queryable, tenantId: string, opts: { prefix?: string } = {}): Promise<CatalogFixture> {
  const p = opts.prefix ?? '';
  const orgId = randomUUID();
  await db.query(`insert into catalog_organizations (id, tenant_id, external_id, names) values ($1, $2, $3, $4)`, [
    orgId,
    tenantId,
    `${p}org-1`,
    JSON.stringify({ fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad', en: 'City of Esimerkkilä' }),
  ]);

  const service = async (status: string, names: object, extra: Record<string, unknown> = {}) => {
    const id = randomUUID();
    await db.query(
      `insert into catalog_services (id, tenant_id, external_id, organization_id, type, status, names, alternative_names, summary, description,
         user_instructions, charge_type, charge_description, service_classes, target_groups, keywords, languages)
       values ($1, $2, $3, $4, 'Service', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        id,
        tenantId,
        `${p}svc-${id.slice(0, 8)}`,
        orgId,
        status,
        JSON.stringify(names),
        JSON.stringify({ fi: ['Päivähoitopaikan hakeminen'] }),
        JSON.stringify(
          extra.summary ?? {
            fi: 'Haet varhaiskasvatuspaikkaa lapsellesi sähköisesti viimeistään neljä kuukautta ennen kuin tarvitset paikkaa.',
            sv: 'Du ansöker om en plats inom småbarnspedagogiken elektroniskt senast fyra månader innan barnet behöver platsen.',
          },
        ),
        JSON.stringify({
          fi: 'Varhaiskasvatusta järjestetään kunnallisissa päiväkodeissa ja perhepäivähoidossa.\n\nHakemus jätetään viimeistään neljä kuukautta ennen hoidon toivottua alkamista.',
          sv: 'Småbarnspedagogik ordnas i kommunala daghem och i familjedagvård.\n\nAnsökan ska lämnas in senast fyra månader innan vården ska börja.',
        }),
        JSON.stringify({ fi: 'Täytä hakemus verkossa. Liitä mukaan työ- tai opiskelutodistus.' }),
        'Charged',
        JSON.stringify({ fi: 'Asiakasmaksu määräytyy perheen tulojen mukaan.', sv: 'Avgiften bestäms enligt familjens inkomster.' }),
        JSON.stringify([{ code: 'P3.4', name: { fi: 'Varhaiskasvatus' } }]),
        JSON.stringify([{ code: 'KR1.2', name: { fi: 'Lapset ja lapsiperheet', sv: 'Barn och barnfamiljer' } }]),
        JSON.stringify({ fi: ['päiväkoti'] }),
        ['fi', 'sv'],
      ],
    );
    return id;
  };
  const serviceId = await service('published', { fi: 'Varhaiskasvatukseen hakeminen', sv: 'Ansökan om småbarnspedagogik', en: 'Applying for early childhood education' });
  const draftServiceId = await service('draft', { fi: 'Luonnospalvelu', sv: 'Utkasttjänst' });

  const channel = async (kind: string, names: object, fields: Record<string, unknown>, status = 'published') => {
    const id = randomUUID();
    await db.query(
      `insert into catalog_channels (id, tenant_id, external_id, organization_id, kind, status, names, summary, address, latitude, longitude,
         phones, email, urls, form_identifier, requires_authentication, service_hours, languages)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
      [
        id,
        tenantId,
        `${p}ch-${id.slice(0, 8)}`,
        orgId,
        kind,
        status,
        JSON.stringify(names),
        JSON.stringify(fields.summary ?? {}),
        fields.address ? JSON.stringify(fields.address) : null,
        fields.latitude ?? null,
        fields.longitude ?? null,
        JSON.stringify(fields.phones ?? []),
        fields.email ?? null,
        JSON.stringify(fields.urls ?? {}),
        JSON.stringify(fields.formIdentifier ?? {}),
        fields.requiresAuthentication ?? false,
        JSON.stringify(fields.serviceHours ?? []),
        ['fi', 'sv'],
      ],
    );
    return id;
  };
  const eServiceId = await channel(
    'e_service',
    { fi: 'Varhaiskasvatuksen sähköinen asiointi', sv: 'Elektronisk ärendehantering för småbarnspedagogik' },
    { urls: { fi: 'https://asiointi.esimerkkila.fi/varhaiskasvatus', sv: 'https://asiointi.esimerkkila.fi/varhaiskasvatus?lang=sv' }, requiresAuthentication: true },
  );
  const phoneId = await channel(
    'phone',
    { fi: 'Varhaiskasvatuksen palveluohjaus', sv: 'Servicehandledning för småbarnspedagogik' },
    {
      phones: [
        { number: '+358 9 4567 2200', lang: 'fi', chargeType: 'Charged', chargeDescription: 'Puhelun hinta määräytyy liittymäsopimuksen mukaan.' },
        { number: '+358 9 4567 2201', lang: 'sv', chargeType: 'Charged', chargeDescription: 'Samtalet kostar enligt ditt abonnemang.' },
      ],
      serviceHours: [
        { type: 'regular', validFrom: null, validTo: null, isClosed: false, hours: [{ dayFrom: 'Monday', dayTo: 'Friday', from: '09:00', to: '12:00' }], info: {} },
      ],
    },
  );
  const unitId = await channel(
    'service_location',
    { fi: 'Kaupungintalon asiointipiste', sv: 'Stadshusets servicepunkt', en: 'City Hall customer service point' },
    {
      summary: { fi: 'Kaupungin yleinen asiakaspalvelupiste kaupungintalon pääaulassa.', sv: 'Stadens allmänna kundservicepunkt i stadshusets huvudentré.' },
      address: { street: { fi: 'Raatihuoneenkatu', sv: 'Rådhusgatan' }, streetNumber: '1', postalCode: '00990', postOffice: { fi: 'ESIMERKKILÄ', sv: 'EXEMPELBY' } },
      latitude: 60.4012,
      longitude: 24.9087,
      phones: [{ number: '+358 9 4567 1000', lang: 'fi', chargeType: 'Charged', chargeDescription: null }],
      email: 'asiointi@esimerkkila.fi',
      serviceHours: OFFICE_HOURS,
    },
  );
  const secondUnitId = await channel(
    'service_location',
    { fi: 'Päiväkoti Satakieli', sv: 'Daghemmet Näktergalen' },
    {
      address: { street: { fi: 'Satakielentie' }, streetNumber: '4', postalCode: '00991', postOffice: { fi: 'ESIMERKKILÄ' } },
      latitude: 60.405,
      longitude: 24.91,
      serviceHours: ALWAYS_OPEN,
    },
  );
  const archivedUnitId = await channel('service_location', { fi: 'Vanha toimipiste' }, { serviceHours: OFFICE_HOURS }, 'archived');
  const webPageId = await channel('web_page', { fi: 'Varhaiskasvatus verkossa', sv: 'Småbarnspedagogik på webben' }, { urls: { fi: 'https://www.esimerkkila.fi/varhaiskasvatus' } });
  const formId = await channel(
    'printable_form',
    { fi: 'Tuloselvityslomake', sv: 'Blankett för inkomstutredning' },
    { urls: { fi: 'https://www.esimerkkila.fi/lomakkeet/vk-3.pdf' }, formIdentifier: { fi: 'VK-3' } },
  );
  // Stored out of order on purpose: pages must order by kind (e-service, phone, visit, …).
  const links = [formId, unitId, webPageId, phoneId, secondUnitId, archivedUnitId, eServiceId];
  for (const [i, ch] of links.entries()) {
    await db.query(`insert into catalog_service_channels (tenant_id, service_id, channel_id, position) values ($1, $2, $3, $4)`, [tenantId, serviceId, ch, i]);
  }
  await db.query(`insert into catalog_service_channels (tenant_id, service_id, channel_id, position) values ($1, $2, $3, 0)`, [tenantId, draftServiceId, unitId]);

  const pageSlug = `${p}asiointi-ohjeet`.replace(/^-/, '');
  const draftPageSlug = `${p}tuleva-sivu`.replace(/^-/, '');
  const published = {
    title: { fi: 'Näin asioit kaupungin kanssa', sv: 'Så här sköter du ärenden med staden' },
    summary: { fi: 'Asiointitavat lyhyesti.', sv: 'Sätten att sköta ärenden i korthet.' },
    body: {
      fi: '<p>Voit asioida <strong>verkossa</strong>, puhelimitse tai käymällä.</p><p>Lue lisää <a href="https://www.esimerkkila.fi/asiointi">kaupungin sivuilta</a>.</p>',
      sv: '<p>Du kan sköta ärenden <strong>på nätet</strong>, per telefon eller på plats.</p>',
    },
    version: 2,
  };
  await db.query(
    `insert into content_pages (tenant_id, slug, title, summary, body, topic, published, published_at, version)
     values ($1, $2, $3, $4, $5, 'P3.4', $6, now(), 3)`,
    [tenantId, pageSlug, JSON.stringify({ fi: 'Luonnosotsikko' }), '{}', JSON.stringify({ fi: '<p>LUONNOSTEKSTI</p>' }), JSON.stringify(published)],
  );
  await db.query(`insert into content_pages (tenant_id, slug, title, body) values ($1, $2, $3, $4)`, [
    tenantId,
    draftPageSlug,
    JSON.stringify({ fi: 'Tuleva sivu' }),
    JSON.stringify({ fi: '<p>Ei vielä julkaistu</p>' }),
  ]);
  return { orgId, serviceId, draftServiceId, unitId, secondUnitId, archivedUnitId, eServiceId, phoneId, webPageId, formId, pageSlug, draftPageSlug, classCode: 'P3.4' };
}
