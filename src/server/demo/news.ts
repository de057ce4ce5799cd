import type { Queryable } from '../../platform/db.ts';
import type { Localized } from '../../platform/i18n.ts';

/**
 * Esimerkkilä's newsroom: topics, a publisher (approver), and a few published items of
 * each kind, so the site, the press room, the feeds and the intranet have something to
 * show. Runs once per tenant (skipped when the tenant has topics).
 */
export const DEMO_PUBLISHER = { email: 'julkaisija@esimerkkila.fi', name: 'Jussi Julkaisija' };

const TOPICS: { slug: string; names: Localized }[] = [
  { slug: 'liikenne', names: { fi: 'Liikenne ja kadut', sv: 'Trafik och gator', en: 'Traffic and streets' } },
  { slug: 'varhaiskasvatus', names: { fi: 'Varhaiskasvatus ja koulut', sv: 'Småbarnspedagogik och skolor', en: 'Early education and schools' } },
  { slug: 'kulttuuri', names: { fi: 'Kulttuuri ja vapaa-aika', sv: 'Kultur och fritid', en: 'Culture and leisure' } },
  { slug: 'paatoksenteko', names: { fi: 'Päätöksenteko', sv: 'Beslutsfattande', en: 'Decision-making' } },
  { slug: 'hairiot', names: { fi: 'Häiriöt ja poikkeustilanteet', sv: 'Störningar och undantagssituationer', en: 'Disruptions and emergencies' } },
];

interface DemoItem {
  kind: 'news' | 'press_release' | 'event' | 'bulletin';
  slug: string;
  title: Localized;
  lead: Localized;
  body: Localized;
  topics: string[];
  tags?: string[];
  /** PTV ids of related services. */
  services?: string[];
  daysAgo: number;
  mustRead?: boolean;
  event?: { inDays: number; hours: number; location: Localized };
}

const ITEMS: DemoItem[] = [
  {
    kind: 'news',
    slug: 'talvikunnossapito-kaynnistyy',
    title: { fi: 'Talvikunnossapito käynnistyy', sv: 'Vinterunderhållet inleds', en: 'Winter maintenance begins' },
    lead: {
      fi: 'Aurauskalusto on valmiina. Pääkadut aurataan ensin, asuinkadut kahden vuorokauden kuluessa lumisateen päättymisestä.',
      sv: 'Plogningsmaskinerna är redo. Huvudgatorna plogas först, bostadsgatorna inom två dygn efter att snöfallet upphört.',
      en: 'The ploughs are ready. Main streets are cleared first, residential streets within two days after the snowfall ends.',
    },
    body: {
      fi: '<p>Kaupunki vastaa katujen talvikunnossapidosta. Tonttien omistajat huolehtivat jalkakäytävien hiekoituksesta tonttinsa kohdalla.</p><p>Voit ilmoittaa liukkaista kohdista palautelomakkeella.</p>',
      sv: '<p>Staden ansvarar för gatornas vinterunderhåll. Tomtägarna sköter sandningen av trottoaren vid sin tomt.</p>',
      en: '<p>The city is responsible for winter maintenance of the streets. Property owners grit the pavement along their plot.</p>',
    },
    topics: ['liikenne'],
    tags: ['talvi'],
    services: ['2eb02a79-fd24-4a60-80c7-a3d16cf0e3ac', '3bc3e227-8c3b-47d0-ac95-5cb63705a9c9'],
    daysAgo: 2,
  },
  {
    kind: 'press_release',
    slug: 'uusi-paivakoti-satakieli-avautuu',
    title: {
      fi: 'Esimerkkilään uusi päiväkoti: Satakieli avautuu tammikuussa',
      sv: 'Nytt daghem i Exempelby: Satakieli öppnar i januari',
      en: 'A new daycare centre in Esimerkkilä: Satakieli opens in January',
    },
    lead: {
      fi: 'Päiväkoti Satakieli tarjoaa 120 varhaiskasvatuspaikkaa keskustan alueella. Hakeminen on auki nyt.',
      sv: 'Daghemmet Satakieli erbjuder 120 platser i centrum. Ansökan är öppen nu.',
      en: 'Satakieli daycare centre offers 120 places in the city centre. Applications are open now.',
    },
    body: {
      fi: '<p>Uusi päiväkoti on rakennettu puurakenteisena ja se on energiatehokas.</p><p>Lisätietoja antaa varhaiskasvatusjohtaja.</p>',
      sv: '<p>Det nya daghemmet är byggt i trä och är energieffektivt.</p>',
      en: '<p>The new daycare centre is built of wood and is energy efficient.</p>',
    },
    topics: ['varhaiskasvatus'],
    tags: ['päiväkoti'],
    services: ['ee42ea4a-3841-4ecf-b30d-95bc433ac2f0'],
    daysAgo: 5,
  },
  {
    kind: 'press_release',
    slug: 'talousarvio-2027-hyvaksyttiin',
    title: { fi: 'Kaupunginvaltuusto hyväksyi vuoden 2027 talousarvion', sv: 'Stadsfullmäktige godkände budgeten för 2027', en: 'City council approved the 2027 budget' },
    lead: {
      fi: 'Talousarvio painottaa varhaiskasvatusta ja katujen kunnossapitoa.',
      sv: 'Budgeten betonar småbarnspedagogik och gatuunderhåll.',
      en: 'The budget emphasises early education and street maintenance.',
    },
    body: { fi: '<p>Valtuusto kokoontui maanantaina.</p>', sv: '<p>Fullmäktige sammanträdde på måndagen.</p>', en: '<p>The council met on Monday.</p>' },
    topics: ['paatoksenteko'],
    daysAgo: 12,
  },
  {
    kind: 'event',
    slug: 'joulutori-kaupungintalolla',
    title: { fi: 'Joulutori kaupungintalon pihalla', sv: 'Julmarknad på stadshusets gård', en: 'Christmas market at the city hall' },
    lead: {
      fi: 'Paikallisia käsitöitä, glögiä ja joulupukki. Vapaa pääsy.',
      sv: 'Lokalt hantverk, glögg och julgubben. Fritt inträde.',
      en: 'Local crafts, mulled wine and Santa Claus. Free entry.',
    },
    body: { fi: '<p>Tervetuloa koko perheen voimin!</p>', sv: '<p>Välkommen med hela familjen!</p>', en: '<p>The whole family is welcome!</p>' },
    topics: ['kulttuuri'],
    daysAgo: 1,
    event: { inDays: 10, hours: 6, location: { fi: 'Kaupungintalontie 1', sv: 'Stadshusvägen 1', en: 'Kaupungintalontie 1' } },
  },
  {
    kind: 'bulletin',
    slug: 'tietoturvakoulutus-pakollinen',
    title: { fi: 'Tietoturvakoulutus on pakollinen kaikille', sv: 'Informationssäkerhetsutbildningen är obligatorisk', en: 'Information security training is mandatory' },
    lead: {
      fi: 'Suorita verkkokoulutus joulukuun loppuun mennessä ja kuittaa tiedote luetuksi.',
      sv: 'Gå webbutbildningen före slutet av december och bekräfta att du har läst meddelandet.',
      en: 'Complete the online training by the end of December and confirm that you have read this notice.',
    },
    body: { fi: '<p>Koulutus kestää noin 45 minuuttia.</p>', sv: '<p>Utbildningen tar cirka 45 minuter.</p>', en: '<p>The training takes about 45 minutes.</p>' },
    topics: [],
    daysAgo: 3,
    mustRead: true,
  },
];

export async function seedDemoNews(tx: Queryable, tenantId: string, slug: string, passwordHash: string): Promise<void> {
  if ((await tx.query('select 1 from news_topics where tenant_id = $1 limit 1', [tenantId])).rows.length) return;
  if (slug !== 'esimerkkila') return;
  const publisher = await tx.query<{ id: string }>(
    `insert into staff_users (tenant_id, email, name, password_hash) values ($1,$2,$3,$4)
     on conflict (tenant_id, email) do update set name = excluded.name returning id`,
    [tenantId, DEMO_PUBLISHER.email, DEMO_PUBLISHER.name, passwordHash],
  );
  await tx.query(`insert into role_grants (tenant_id, user_id, role) values ($1, $2, 'publisher') on conflict do nothing`, [tenantId, publisher.rows[0].id]);
  for (const [i, t] of TOPICS.entries()) {
    await tx.query(`insert into news_topics (tenant_id, slug, names, position) values ($1, $2, $3, $4)`, [tenantId, t.slug, JSON.stringify(t.names), i]);
  }
  const now = Date.now();
  for (const item of ITEMS) {
    const services = item.services?.length
      ? (await tx.query<{ id: string }>(`select id from catalog_services where tenant_id = $1 and external_id = any($2::text[])`, [tenantId, item.services])).rows.map(
          (r) => r.id,
        )
      : [];
    const publishedAt = new Date(now - item.daysAgo * 86_400_000);
    const starts = item.event ? new Date(now + item.event.inDays * 86_400_000) : null;
    const r = await tx.query<{ id: string }>(
      `insert into news_items (tenant_id, kind, state, slug, title, lead, body, topics, tags, service_ids, audience, must_read,
         event_starts_at, event_ends_at, event_location, published_at, created_by, updated_by, created_at, updated_at)
       values ($1,$2,'published',$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16,$15,$15) returning id`,
      [
        tenantId,
        item.kind,
        item.slug,
        JSON.stringify(item.title),
        JSON.stringify(item.lead),
        JSON.stringify(item.body),
        item.topics,
        item.tags ?? [],
        services,
        item.kind === 'bulletin' ? 'staff' : 'public',
        item.mustRead ?? false,
        starts,
        starts && item.event ? new Date(starts.getTime() + item.event.hours * 3_600_000) : null,
        JSON.stringify(item.event?.location ?? {}),
        publishedAt,
        publisher.rows[0].id,
      ],
    );
    await tx.query(
      `insert into news_item_versions (tenant_id, item_id, version, action, state, snapshot, changed_by, changed_at)
       values ($1, $2, 1, 'publish', 'published', $3, $4, $5)`,
      [tenantId, r.rows[0].id, JSON.stringify({ title: item.title, lead: item.lead, body: item.body, topics: item.topics }), publisher.rows[0].id, publishedAt],
    );
  }
}
