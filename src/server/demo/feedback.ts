import type { Queryable } from '../../platform/db.ts';
import { sha256 } from '../../platform/crypto.ts';
import type { Localized } from '../../platform/i18n.ts';
import type { CategoryInput } from '../../modules/feedback/model.ts';

/**
 * The demo's feedback set-up: units that handle street and waste feedback, a unit staff
 * member for street maintenance, the feedback categories, and a documented Open311 API key
 * (README: "Open311") so an Open311 client can be pointed at the embedded default.
 */

/** Esimerkkilä's demo Open311 key (an api_tokens row with the open311 scope). Public on purpose: demo only. */
export const DEMO_OPEN311_KEY = 'aukio_demo-open311-esimerkkila-2026';
export const DEMO_STREET_STAFF = { email: 'katu@esimerkkila.fi', name: 'Kalle Katu' };

type Cat = Omit<CategoryInput, 'orgUnitId' | 'serviceId'> & { unit: 'street' | 'waste' | 'service' | 'education'; ptvServiceId?: string };

const yesNo = [
  { key: 'yes', name: { fi: 'Kyllä', sv: 'Ja', en: 'Yes' } },
  { key: 'no', name: { fi: 'Ei', sv: 'Nej', en: 'No' } },
];

const ESIMERKKILA: Cat[] = [
  {
    code: 'pothole',
    unit: 'street',
    ptvServiceId: '71ef4d21-002f-4c37-84bd-39a57d5d5c1a',
    names: { fi: 'Katuvaurio tai kuoppa', sv: 'Gatuskada eller grop', en: 'Pothole or street damage' },
    descriptions: {
      fi: 'Kuopat, halkeamat ja muut vauriot kaduilla, pyöräteillä ja jalkakäytävillä.',
      sv: 'Gropar, sprickor och andra skador på gator, cykelvägar och trottoarer.',
      en: 'Potholes, cracks and other damage on streets, cycle paths and pavements.',
    },
    groupNames: { fi: 'Kadut ja liikenne', sv: 'Gator och trafik', en: 'Streets and traffic' },
    keywords: { fi: ['kuoppa', 'katu', 'asfaltti', 'tie', 'halkeama'], sv: ['grop', 'gata', 'asfalt', 'väg'], en: ['pothole', 'street', 'road', 'asphalt'] },
    locationMode: 'required',
    allowPublic: true,
    slaDays: 7,
    sortOrder: 10,
    attributes: [
      {
        code: 'size',
        datatype: 'singlevaluelist',
        required: false,
        order: 1,
        description: { fi: 'Vaurion koko', sv: 'Skadans storlek', en: 'Size of the damage' },
        values: [
          { key: 'small', name: { fi: 'Pieni (alle 20 cm)', sv: 'Liten (under 20 cm)', en: 'Small (under 20 cm)' } },
          { key: 'medium', name: { fi: 'Keskikokoinen', sv: 'Medelstor', en: 'Medium' } },
          { key: 'large', name: { fi: 'Suuri (yli 50 cm)', sv: 'Stor (över 50 cm)', en: 'Large (over 50 cm)' } },
        ],
      },
      {
        code: 'hazard',
        datatype: 'singlevaluelist',
        required: false,
        order: 2,
        description: { fi: 'Aiheuttaako vaurio välitöntä vaaraa?', sv: 'Orsakar skadan omedelbar fara?', en: 'Is it an immediate danger?' },
        values: yesNo,
      },
    ],
  },
  {
    code: 'street-light',
    unit: 'street',
    ptvServiceId: '140fc209-95c9-4b3e-912d-0cd3c33efbd3',
    names: { fi: 'Katuvalo ei toimi', sv: 'Gatubelysningen fungerar inte', en: 'Street light out' },
    groupNames: { fi: 'Kadut ja liikenne', sv: 'Gator och trafik', en: 'Streets and traffic' },
    keywords: { fi: ['katuvalo', 'valo', 'lamppu', 'pimeä'], sv: ['gatubelysning', 'lampa', 'mörk'], en: ['light', 'lamp', 'dark'] },
    locationMode: 'required',
    slaDays: 14,
    sortOrder: 20,
    attributes: [
      {
        code: 'pole',
        datatype: 'string',
        required: false,
        order: 1,
        description: { fi: 'Valaisinpylvään numero, jos näkyy', sv: 'Stolpens nummer, om det syns', en: 'Pole number, if visible' },
        values: [],
      },
    ],
  },
  {
    code: 'winter',
    unit: 'street',
    ptvServiceId: '2eb02a79-fd24-4a60-80c7-a3d16cf0e3ac',
    names: { fi: 'Lumityöt ja liukkaus', sv: 'Snöröjning och halka', en: 'Snow clearing and slippery roads' },
    groupNames: { fi: 'Kadut ja liikenne', sv: 'Gator och trafik', en: 'Streets and traffic' },
    keywords: { fi: ['lumi', 'auraus', 'liukas', 'hiekoitus', 'jää'], sv: ['snö', 'plogning', 'halka', 'sandning'], en: ['snow', 'ice', 'slippery', 'gritting'] },
    locationMode: 'required',
    slaDays: 3,
    sortOrder: 30,
  },
  {
    code: 'waste-bin',
    unit: 'waste',
    ptvServiceId: '3a5ac2ae-8b05-43cf-b767-ed7d1dd2a67e',
    names: { fi: 'Jäteastia jäi tyhjentämättä', sv: 'Sopkärlet tömdes inte', en: 'Bin not emptied' },
    groupNames: { fi: 'Jätehuolto', sv: 'Avfallshantering', en: 'Waste' },
    keywords: { fi: ['roska', 'jäte', 'tyhjennys', 'astia', 'roskis'], sv: ['sopor', 'avfall', 'tömning', 'soptunna'], en: ['bin', 'waste', 'rubbish', 'garbage'] },
    locationMode: 'optional',
    slaDays: 5,
    sortOrder: 40,
    attributes: [
      {
        code: 'bin',
        datatype: 'singlevaluelist',
        required: true,
        order: 1,
        description: { fi: 'Mikä astia?', sv: 'Vilket kärl?', en: 'Which bin?' },
        values: [
          { key: 'mixed', name: { fi: 'Sekajäte', sv: 'Blandavfall', en: 'Mixed waste' } },
          { key: 'bio', name: { fi: 'Biojäte', sv: 'Bioavfall', en: 'Food waste' } },
          { key: 'paper', name: { fi: 'Paperi ja kartonki', sv: 'Papper och kartong', en: 'Paper and cardboard' } },
        ],
      },
      {
        code: 'missed',
        datatype: 'datetime',
        required: false,
        order: 2,
        description: { fi: 'Milloin tyhjennys olisi pitänyt tehdä?', sv: 'När borde tömningen ha gjorts?', en: 'When should it have been emptied?' },
        values: [],
      },
    ],
  },
  {
    code: 'praise',
    unit: 'service',
    names: { fi: 'Kiitos', sv: 'Beröm', en: 'Praise' },
    groupNames: { fi: 'Yleinen palaute', sv: 'Allmän respons', en: 'General feedback' },
    keywords: { fi: ['kiitos', 'kiittää', 'hyvä'], sv: ['tack', 'beröm'], en: ['thanks', 'praise', 'great'] },
    locationMode: 'none',
    slaDays: 14,
    sortOrder: 50,
  },
  {
    code: 'complaint',
    unit: 'service',
    names: { fi: 'Moite tai kehitysehdotus', sv: 'Klagomål eller förbättringsförslag', en: 'Complaint or suggestion' },
    groupNames: { fi: 'Yleinen palaute', sv: 'Allmän respons', en: 'General feedback' },
    keywords: { fi: ['valitus', 'moite', 'ehdotus', 'huono'], sv: ['klagomål', 'förslag'], en: ['complaint', 'suggestion'] },
    locationMode: 'optional',
    slaDays: 14,
    sortOrder: 60,
  },
  {
    code: 'accessibility',
    unit: 'service',
    ptvServiceId: 'be09da63-8907-4523-ae74-cdd1f9182431',
    names: { fi: 'Saavutettavuuspalaute', sv: 'Respons om tillgänglighet', en: 'Accessibility feedback' },
    descriptions: {
      fi: 'Kerro, jos verkkopalvelumme tai asiakirjamme eivät ole saavutettavia. Vastaamme 14 päivän kuluessa.',
      sv: 'Berätta om vår webbtjänst eller våra dokument inte är tillgängliga. Vi svarar inom 14 dagar.',
      en: 'Tell us if our web service or documents are not accessible. We answer within 14 days.',
    },
    groupNames: { fi: 'Yleinen palaute', sv: 'Allmän respons', en: 'General feedback' },
    keywords: { fi: ['saavutettavuus', 'ruudunlukija', 'näppäimistö'], sv: ['tillgänglighet', 'skärmläsare'], en: ['accessibility', 'screen reader', 'keyboard'] },
    locationMode: 'none',
    allowPublic: false,
    accessibility: true,
    slaDays: 14,
    sortOrder: 70,
    attributes: [
      {
        code: 'page',
        datatype: 'string',
        required: false,
        order: 1,
        description: { fi: 'Sivun osoite tai asiakirjan nimi', sv: 'Sidans adress eller dokumentets namn', en: 'Page address or document name' },
        values: [],
      },
    ],
  },
  {
    code: 'daycare',
    unit: 'education',
    names: { fi: 'Varhaiskasvatus', sv: 'Småbarnspedagogik', en: 'Early childhood education' },
    groupNames: { fi: 'Kasvatus ja koulutus', sv: 'Fostran och utbildning', en: 'Education' },
    keywords: { fi: ['päiväkoti', 'varhaiskasvatus', 'hoitopaikka'], sv: ['daghem', 'dagis'], en: ['daycare', 'nursery'] },
    locationMode: 'none',
    allowPublic: false,
    slaDays: 14,
    sortOrder: 80,
  },
];

const JARVIKYLA: Cat[] = [
  {
    code: 'street',
    unit: 'street',
    names: { fi: 'Kadut ja tiet', sv: 'Gator och vägar', en: 'Streets and roads' },
    keywords: { fi: ['katu', 'tie', 'kuoppa', 'lumi'] },
    locationMode: 'required',
    slaDays: 7,
    sortOrder: 10,
  },
  {
    code: 'general',
    unit: 'service',
    names: { fi: 'Yleinen palaute', sv: 'Allmän respons', en: 'General feedback' },
    locationMode: 'optional',
    slaDays: 14,
    sortOrder: 20,
  },
];

/** Idempotent: a tenant that has any feedback category is left alone. */
export async function seedDemoFeedback(tx: Queryable, tenantId: string, slug: string, passwordHash: string): Promise<void> {
  if ((await tx.query('select 1 from feedback_categories where tenant_id = $1 limit 1', [tenantId])).rows.length) return;
  const unit = async (kind: string, names: Localized, parentId: string | null) => {
    const found = await tx.query<{ id: string }>(`select id from org_units where tenant_id = $1 and names->>'fi' = $2`, [tenantId, names.fi]);
    if (found.rows[0]) return found.rows[0].id;
    const r = await tx.query<{ id: string }>('insert into org_units (tenant_id, parent_id, kind, names) values ($1,$2,$3,$4) returning id', [
      tenantId,
      parentId,
      kind,
      JSON.stringify(names),
    ]);
    return r.rows[0].id;
  };
  const engineering = await unit('department', { fi: 'Kaupunkitekniikka', sv: 'Stadsteknik', en: 'Urban engineering' }, null);
  const units = {
    street: await unit('other', { fi: 'Katujen kunnossapito', sv: 'Gatuunderhåll', en: 'Street maintenance' }, engineering),
    waste: await unit('other', { fi: 'Jätehuolto', sv: 'Avfallshantering', en: 'Waste management' }, engineering),
    service: await unit('department', { fi: 'Asiakaspalvelu', sv: 'Kundtjänst', en: 'Customer service' }, null),
    education: await unit('department', { fi: 'Kasvatus ja koulutus', sv: 'Fostran och utbildning', en: 'Education' }, null),
  };
  for (const c of slug === 'esimerkkila' ? ESIMERKKILA : JARVIKYLA) {
    const service = c.ptvServiceId
      ? (await tx.query<{ id: string }>('select id from catalog_services where tenant_id = $1 and external_id = $2', [tenantId, c.ptvServiceId])).rows[0]?.id ?? null
      : null;
    await tx.query(
      `insert into feedback_categories (tenant_id, code, names, descriptions, group_names, keywords, org_unit_id, service_id, location_mode,
         allow_public, accessibility, sla_days, attributes, sort_order)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
      [
        tenantId,
        c.code,
        JSON.stringify(c.names),
        JSON.stringify(c.descriptions ?? {}),
        JSON.stringify(c.groupNames ?? {}),
        JSON.stringify(c.keywords ?? {}),
        units[c.unit],
        service,
        c.locationMode ?? 'optional',
        c.allowPublic ?? true,
        c.accessibility ?? false,
        c.slaDays ?? 14,
        JSON.stringify(c.attributes ?? []),
        c.sortOrder ?? 0,
      ],
    );
  }
  if (slug !== 'esimerkkila') return;
  const staff = await tx.query<{ id: string }>(
    `insert into staff_users (tenant_id, email, name, password_hash) values ($1,$2,$3,$4)
     on conflict (tenant_id, email) do update set name = excluded.name returning id`,
    [tenantId, DEMO_STREET_STAFF.email, DEMO_STREET_STAFF.name, passwordHash],
  );
  await tx.query(
    `insert into role_grants (tenant_id, user_id, role, org_unit_id) values ($1,$2,'unit_staff',$3) on conflict do nothing`,
    [tenantId, staff.rows[0].id, units.street],
  );
  await tx.query(
    `insert into api_tokens (tenant_id, name, prefix, token_hash, scopes) values ($1, 'Open311 demo client', $2, $3, '{open311}')
     on conflict (token_hash) do nothing`,
    [tenantId, DEMO_OPEN311_KEY.slice(0, 12), sha256(DEMO_OPEN311_KEY)],
  );
}
