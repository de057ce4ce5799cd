import { seedDemoFeedback } from './demo/feedback.ts';
import { seedDemoInbox } from './demo/inbox.ts';
import { seedDemoFaq } from './demo/faq.ts';
import { DEMO_PUBLISHER, seedDemoNews } from './demo/news.ts';
import { seedDemoDistribution } from './demo/distribution.ts';
import { seedDemoSignage } from './demo/signage.ts';
import { seedDemoPressRoom } from './demo/press-room.ts';
import { seedDemoNewsletters } from './demo/newsletters.ts';
import { seedDemoAddresses } from './demo/addresses.ts';
import { readFile } from 'node:fs/promises';
import type { Localized } from '../platform/i18n.ts';
import { sha256 } from '../platform/crypto.ts';
import { importPtvCatalog } from '../modules/catalog/ptv-import.ts';
import { hashPassword } from '../modules/identity/passwords.ts';
import type { Services } from './services.ts';
import type { Tx } from '../platform/db.ts';
import { seedContentPages } from './demo/content-pages.ts';
import { seedDemoSynonyms } from '../modules/routing/demo-synonyms.ts';

/** Demo data for the embedded default: two tenants, their org units and staff. */
export const DEMO_ACCOUNTS = {
  password: 'Aukio-demo-2026!',
  staff: [
    { tenant: 'esimerkkila', email: 'admin@esimerkkila.fi', name: 'Aino Admin', roles: 'tenant admin' },
    { tenant: 'esimerkkila', email: 'viestinta@esimerkkila.fi', name: 'Veera Viestintä', roles: 'communications' },
    { tenant: 'esimerkkila', email: 'asiakaspalvelu@esimerkkila.fi', name: 'Antti Asiakaspalvelu', roles: 'customer service' },
    { tenant: 'esimerkkila', email: 'paivakoti@esimerkkila.fi', name: 'Pirjo Päiväkoti', roles: 'unit staff (Päiväkoti Satakieli)' },
    { tenant: 'esimerkkila', email: 'moderaattori@esimerkkila.fi', name: 'Mikko Moderaattori', roles: 'moderator' },
    // Created by the feedback seed (src/server/demo/feedback.ts) with its unit.
    { tenant: 'esimerkkila', email: 'katu@esimerkkila.fi', name: 'Kalle Katu', roles: 'unit staff (Street maintenance)', seededElsewhere: true },
    // Created by the newsroom seed (src/server/demo/news.ts): approves and publishes news.
    { tenant: 'esimerkkila', email: DEMO_PUBLISHER.email, name: DEMO_PUBLISHER.name, roles: 'publisher', seededElsewhere: true },
    { tenant: 'jarvikyla', email: 'admin@jarvikyla.fi', name: 'Jaana Järvinen', roles: 'tenant admin (Järvikylä)' },
  ],
};

interface SeedTenant {
  slug: string;
  hosts: string[];
  names: Localized;
  languages: string[];
  defaultLanguage: string;
  theme: Record<string, string>;
  contact: Record<string, unknown>;
}

const TENANTS: SeedTenant[] = [
  {
    slug: 'esimerkkila',
    hosts: ['esimerkkila.localhost'],
    names: { fi: 'Esimerkkilän kaupunki', sv: 'Exempelby stad', en: 'City of Esimerkkilä' },
    languages: ['fi', 'sv', 'en'],
    defaultLanguage: 'fi',
    theme: { primary: '#00477f', accent: '#ffc61e' },
    contact: {
      phone: '+358 9 123 4567',
      email: 'kirjaamo@esimerkkila.fi',
      address: { fi: 'Kaupungintalontie 1, 00100 Esimerkkilä', sv: 'Stadshusvägen 1, 00100 Exempelby', en: 'Kaupungintalontie 1, 00100 Esimerkkilä' },
    },
  },
  {
    slug: 'jarvikyla',
    hosts: ['jarvikyla.localhost'],
    names: { fi: 'Järvikylän kunta', sv: 'Järvikylä kommun', en: 'Municipality of Järvikylä' },
    languages: ['fi'],
    defaultLanguage: 'fi',
    theme: { primary: '#1b5e20', accent: '#a5d6a7' },
    contact: { phone: '+358 17 765 4321', email: 'kunta@jarvikyla.fi', address: { fi: 'Rantatie 5, 71234 Järvikylä' } },
  },
];

function accessibilityStatement(name: Localized): Localized {
  return {
    fi: `${name.fi} pyrkii takaamaan tämän verkkopalvelun saavutettavuuden digitaalisten palvelujen tarjoamisesta annetun lain (306/2019) mukaisesti.\n\nPalvelu täyttää WCAG 2.1 -tason AA kriittiset saavutettavuusvaatimukset. Jos huomaat saavutettavuuspuutteita, anna palautetta: ota yhteyttä kirjaamoon.\n\nValvontaviranomainen on Etelä-Suomen aluehallintovirasto (Liikenne- ja viestintävirasto Traficomin saavutettavuusvalvonta).`,
    sv: `${name.sv} strävar efter att säkerställa tillgängligheten för denna webbtjänst i enlighet med lagen om tillhandahållande av digitala tjänster (306/2019).\n\nTjänsten uppfyller de kritiska tillgänglighetskraven på nivå AA i WCAG 2.1. Om du upptäcker brister i tillgängligheten, ge respons: kontakta registratorskontoret.\n\nTillsynsmyndigheten är Transport- och kommunikationsverket Traficoms tillgänglighetstillsyn.`,
    en: `${name.en} aims to ensure the accessibility of this web service in accordance with the Act on the Provision of Digital Services (306/2019).\n\nThe service meets the critical accessibility requirements of WCAG 2.1 level AA. If you notice accessibility shortcomings, please give feedback: contact the registry office.\n\nThe supervisory authority is the accessibility monitoring unit of the Finnish Transport and Communications Agency Traficom.`,
  };
}

function privacyNotice(name: Localized): Localized {
  return {
    fi: `Rekisterinpitäjä on ${name.fi}. Käsittelemme henkilötietojasi vain palvelun tuottamiseksi: kirjautuessasi tallennamme nimesi ja henkilötunnuksesi tai sähköpostiosoitteesi. Henkilökunnan jokainen henkilötietojesi katselu kirjataan lokiin. Sinulla on oikeus tarkastaa ja oikaista tietosi.`,
    sv: `Personuppgiftsansvarig är ${name.sv}. Vi behandlar dina personuppgifter endast för att tillhandahålla tjänsten: när du loggar in sparar vi ditt namn och din personbeteckning eller e-postadress. Varje gång personalen läser dina personuppgifter loggas det. Du har rätt att granska och rätta dina uppgifter.`,
    en: `The controller is ${name.en}. We process your personal data only to provide the service: when you sign in we store your name and personal identity code or e-mail address. Every staff read of your personal data is logged. You have the right to access and correct your data.`,
  };
}

/** Idempotent: a tenant that exists is left as it is, so admins' edits survive restarts. */
export async function seedDemo(services: Services): Promise<void> {
  const passwordHash = await hashPassword(DEMO_ACCOUNTS.password);
  for (const t of TENANTS) {
    await services.db.transaction(async (tx) => {
      // Instances starting together on an empty database take turns, so the check below holds.
      await tx.query('select pg_advisory_xact_lock(727275)');
      const existing = await tx.query('select 1 from tenants where slug = $1', [t.slug]);
      if (existing.rows.length) return;
      const { rows } = await tx.query<{ id: string }>(
        `insert into tenants (slug, names, languages, default_language, theme, contact, accessibility_statement, privacy_notice)
         values ($1,$2,$3,$4,$5,$6,$7,$8) returning id`,
        [
          t.slug,
          JSON.stringify(t.names),
          t.languages,
          t.defaultLanguage,
          JSON.stringify(t.theme),
          JSON.stringify(t.contact),
          JSON.stringify(accessibilityStatement(t.names)),
          JSON.stringify(privacyNotice(t.names)),
        ],
      );
      const tenantId = rows[0].id;
      for (const h of t.hosts) await tx.query('insert into tenant_hosts (hostname, tenant_id) values ($1,$2)', [h, tenantId]);
      // The demo city's own everyday-words list for the routing engine (staff edit it in the console).
      if (t.slug === 'esimerkkila') await seedDemoSynonyms(tx, tenantId);

      const unit = async (kind: string, names: Localized, parentId: string | null) =>
        (
          await tx.query<{ id: string }>(
            'insert into org_units (tenant_id, parent_id, kind, names) values ($1,$2,$3,$4) returning id',
            [tenantId, parentId, kind, JSON.stringify(names)],
          )
        ).rows[0].id;
      const education = await unit('department', { fi: 'Kasvatus ja koulutus', sv: 'Fostran och utbildning', en: 'Education' }, null);
      const daycare = await unit('daycare', { fi: 'Päiväkoti Satakieli', sv: 'Daghemmet Näktergalen', en: 'Satakieli Daycare' }, education);
      await unit('daycare', { fi: 'Päiväkoti Kuusela', sv: 'Daghemmet Granbo', en: 'Kuusela Daycare' }, education);
      const services_ = await unit('department', { fi: 'Asiakaspalvelu', sv: 'Kundtjänst', en: 'Customer service' }, null);
      await unit('service_point', { fi: 'Palvelupiste Torikulma', sv: 'Servicepunkten Torghörnet', en: 'Torikulma service point' }, services_);

      for (const a of DEMO_ACCOUNTS.staff.filter((s) => s.tenant === t.slug && !('seededElsewhere' in s))) {
        const u = await tx.query<{ id: string }>(
          'insert into staff_users (tenant_id, email, name, password_hash) values ($1,$2,$3,$4) returning id',
          [tenantId, a.email, a.name, passwordHash],
        );
        const role = a.roles.startsWith('tenant admin')
          ? 'tenant_admin'
          : a.roles.startsWith('communications')
            ? 'communications'
            : a.roles.startsWith('customer service')
              ? 'customer_service'
              : a.roles.startsWith('unit staff')
                ? 'unit_staff'
                : 'moderator';
        await tx.query('insert into role_grants (tenant_id, user_id, role, org_unit_id) values ($1,$2,$3,$4)', [
          tenantId,
          u.rows[0].id,
          role,
          role === 'unit_staff' ? daycare : null,
        ]);
      }
    });
  }
  await seedDemoCatalog(services);
  await seedContentPages(services);
  // After the catalog: categories link to its services. Its own check keeps it idempotent.
  await eachTenant(services, (tx, tenantId, slug) => seedDemoFeedback(tx, tenantId, slug, passwordHash));
  // Customer-service teams and their members (after every demo staff member exists).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoInbox(tx, tenantId, slug));
  // The address register behind the feedback form's address search; skipped when present.
  await eachTenant(services, (tx, tenantId, slug) => seedDemoAddresses(tx, tenantId, slug), 727276);
  // The chat bot's curated answers (after the catalog: entries link to its services).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoFaq(tx, tenantId, slug));
  // Newsroom topics, the demo publisher and published items (after the catalog: items link to services).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoNews(tx, tenantId, slug, passwordHash));
  // The media distribution list (after the news: demo items were published without mailing anyone).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoDistribution(tx, tenantId, slug));
  // The demo info screen (after the catalog: it shows a service location's hours).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoSignage(tx, tenantId, slug));
  // The press room: press contacts and the image bank (after the news: an image illustrates an item).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoPressRoom(tx, tenantId, slug));
  // Newsletter subscribers (after the newsroom: they follow its topics).
  await eachTenant(services, (tx, tenantId, slug) => seedDemoNewsletters(tx, tenantId, slug));
}

/** Runs one demo seed per tenant, each in its own transaction under the seed lock (instances may start together). */
async function eachTenant(services: Services, seed: (tx: Tx, tenantId: string, slug: string) => Promise<void>, lock = 727275) {
  for (const t of TENANTS) {
    await services.db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [lock]);
      const r = await tx.query<{ id: string }>('select id from tenants where slug = $1', [t.slug]);
      if (r.rows[0]) await seed(tx, r.rows[0].id, t.slug);
    });
  }
}

/**
 * Esimerkkilä's service catalog: the PTV sample (demo/ptv-catalog.json) through the real
 * importer. A start whose file was already imported skips it (one indexed look-up), so
 * restarts stay fast; a changed file is imported again and only its changes are written.
 */
async function seedDemoCatalog(services: Services): Promise<void> {
  const tenant = await services.db.query<{ id: string }>(`select id from tenants where slug = 'esimerkkila'`);
  const tenantId = tenant.rows[0]?.id;
  if (!tenantId) return;
  const raw = await readFile(new URL('./demo/ptv-catalog.json', import.meta.url));
  const label = `demo seed ${sha256(raw.toString('utf8')).slice(0, 12)}`;
  const done = await services.db.query(
    `select 1 from catalog_import_runs where tenant_id = $1 and actor_label = $2 and status = 'succeeded' limit 1`,
    [tenantId, label],
  );
  if (done.rows.length) return;
  const report = await importPtvCatalog(services, tenantId, JSON.parse(raw.toString('utf8')), {
    source: 'upload',
    actor: { kind: 'system', label },
  });
  services.log.info({ created: report.created, updated: report.updated, unchanged: report.unchanged, ms: report.durationMs }, 'demo catalog imported');
}
