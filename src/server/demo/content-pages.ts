import { contentPageFromRow } from '../../modules/catalog/model.ts';
import { sanitizeRichText } from '../../modules/catalog/sanitize.ts';
import { pageDocument } from '../../modules/catalog/search-documents.ts';
import type { Localized } from '../../platform/i18n.ts';
import type { Services } from '../services.ts';

/**
 * Published demo content pages for Esimerkkilä, so the resident page listings, topics and
 * search have real content. Idempotent per slug: a page that exists (even edited or
 * unpublished by staff since) is left alone.
 */
interface DemoPage {
  slug: string;
  topic: string | null;
  title: Localized;
  summary: Localized;
  body: Localized;
}

const PAGES: DemoPage[] = [
  {
    slug: 'asiointi-kaupungintalolla',
    topic: 'P9.6',
    title: { fi: 'Asiointi kaupungintalolla', sv: 'Att uträtta ärenden i stadshuset', en: 'Visiting the town hall' },
    summary: {
      fi: 'Kaupungintalon asiakaspalvelu neuvoo kaikissa kaupungin palveluissa. Katso aukioloajat, yhteystiedot ja saapumisohjeet.',
      sv: 'Stadshusets kundtjänst ger råd om alla stadens tjänster. Se öppettider, kontaktuppgifter och hur du hittar dit.',
      en: 'The town hall customer service advises on all municipal services. See opening hours, contact details and how to get there.',
    },
    body: {
      fi: `<h2>Aukioloajat</h2><p>Asiakaspalvelu Torikulma on avoinna <strong>maanantaista perjantaihin klo 8–16</strong>. Juhlapyhien aattoina palvelemme klo 8–14.</p>
<h2>Yhteystiedot</h2><ul><li>Puhelin: <a href="tel:+358912345000">09 1234 5000</a> (ma–pe 9–15)</li><li>Sähköposti: <a href="mailto:asiakaspalvelu@esimerkkila.fi">asiakaspalvelu@esimerkkila.fi</a></li><li>Käyntiosoite: Torikatu 1, 00100 Esimerkkilä</li></ul>
<h2>Saapuminen</h2><p>Kaupungintalolle on esteetön sisäänkäynti Torikadun puolelta. Asiakaspysäköinti on talon takana (2 tuntia maksutta). Linja-autopysäkki Tori on 100 metrin päässä.</p>
<h3>Ajanvaraus</h3><p>Voit varata ajan esimerkiksi rakennuslupa-asioihin. Ilman ajanvarausta palvelemme saapumisjärjestyksessä.</p>`,
      sv: `<h2>Öppettider</h2><p>Kundtjänsten Torghörnet är öppen <strong>måndag–fredag kl. 8–16</strong>. Dagar före helgdagar betjänar vi kl. 8–14.</p>
<h2>Kontaktuppgifter</h2><ul><li>Telefon: <a href="tel:+358912345000">09 1234 5000</a> (mån–fre 9–15)</li><li>E-post: <a href="mailto:asiakaspalvelu@esimerkkila.fi">asiakaspalvelu@esimerkkila.fi</a></li><li>Besöksadress: Torggatan 1, 00100 Esimerkkilä</li></ul>
<h2>Hitta hit</h2><p>Stadshuset har en tillgänglig ingång från Torggatan. Kundparkeringen finns bakom huset (2 timmar avgiftsfritt). Busshållplatsen Torget ligger 100 meter bort.</p>
<h3>Tidsbokning</h3><p>Du kan boka tid till exempel för bygglovsärenden. Utan tidsbokning betjänar vi i ankomstordning.</p>`,
      en: `<h2>Opening hours</h2><p>The Torikulma customer service is open <strong>Monday to Friday 8 am–4 pm</strong>. On the eve of public holidays we are open 8 am–2 pm.</p>
<h2>Contact</h2><ul><li>Phone: <a href="tel:+358912345000">+358 9 1234 5000</a> (Mon–Fri 9 am–3 pm)</li><li>E-mail: <a href="mailto:asiakaspalvelu@esimerkkila.fi">asiakaspalvelu@esimerkkila.fi</a></li><li>Visiting address: Torikatu 1, 00100 Esimerkkilä</li></ul>
<h2>Getting here</h2><p>The town hall has a step-free entrance on Torikatu. Customer parking is behind the building (2 hours free). The Tori bus stop is 100 metres away.</p>
<h3>Appointments</h3><p>You can book an appointment, for example for building permits. Without one, we serve customers in order of arrival.</p>`,
    },
  },
  {
    slug: 'talviajan-ohjeet',
    topic: 'P16.7',
    title: { fi: 'Talviajan ohjeet', sv: 'Anvisningar för vintern', en: 'Winter instructions' },
    summary: {
      fi: 'Lumityöt, liukkauden torjunta ja kadunvarsipysäköinti talvella. Näin kaupunki ja kiinteistöjen omistajat jakavat vastuun.',
      sv: 'Snöröjning, halkbekämpning och gatuparkering på vintern. Så delar staden och fastighetsägarna på ansvaret.',
      en: 'Snow clearing, gritting and street parking in winter: how the town and property owners share the work.',
    },
    body: {
      fi: `<h2>Kaupunki auraa kadut</h2><p>Kadut aurataan kiireellisyysjärjestyksessä: ensin pääkadut ja joukkoliikenteen reitit, sitten asuntokadut. Aurauksen pitäisi olla valmis vuorokauden kuluessa lumisateen päättymisestä.</p>
<h2>Kiinteistön omistajan vastuu</h2><ul><li>Tonttiliittymän aukaisu auran jättämästä vallista</li><li>Jalkakäytävän lumityöt ja hiekoitus tontin kohdalla</li><li>Katolta putoavan lumen ja jään poisto</li></ul>
<h2>Pysäköinti talvella</h2><p>Noudata tilapäisiä pysäköintikieltoja, jotta aurakone pääsee liikkumaan. Kieltoalueet merkitään liikennemerkein vähintään vuorokautta etukäteen.</p>
<p>Ilmoita liukkaudesta tai auraamatta jääneestä kadusta <a href="/fi/pages/asiointi-kaupungintalolla">kaupungin asiakaspalveluun</a>.</p>`,
      sv: `<h2>Staden plogar gatorna</h2><p>Gatorna plogas i brådskeordning: först huvudgator och kollektivtrafikens rutter, sedan bostadsgator. Plogningen ska vara klar inom ett dygn efter att snöfallet upphört.</p>
<h2>Fastighetsägarens ansvar</h2><ul><li>Öppna tomtinfarten från plogvallen</li><li>Snöröjning och sandning av trottoaren vid tomten</li><li>Avlägsna snö och is som kan falla från taket</li></ul>
<h2>Parkering på vintern</h2><p>Följ tillfälliga parkeringsförbud så att plogen kommer fram. Förbudsområdena märks ut med trafikmärken minst ett dygn i förväg.</p>
<p>Meddela halka eller en oplogad gata till <a href="/sv/pages/asiointi-kaupungintalolla">stadens kundtjänst</a>.</p>`,
      en: `<h2>The town ploughs the streets</h2><p>Streets are ploughed in order of urgency: main streets and bus routes first, then residential streets. Ploughing should be done within a day after the snowfall ends.</p>
<h2>What property owners do</h2><ul><li>Open the driveway from the bank left by the plough</li><li>Clear and grit the pavement along the property</li><li>Remove snow and ice that could fall from the roof</li></ul>
<h2>Parking in winter</h2><p>Follow temporary no-parking signs so that the ploughs can get through. The areas are signposted at least a day in advance.</p>
<p>Report slippery or unploughed streets to the <a href="/en/pages/asiointi-kaupungintalolla">town’s customer service</a>.</p>`,
    },
  },
  {
    slug: 'jatteiden-lajittelu',
    topic: 'P23.2',
    title: { fi: 'Jätteiden lajittelu kotona', sv: 'Sortera avfallet hemma', en: 'Sorting waste at home' },
    summary: {
      fi: 'Mihin astiaan mikäkin jäte kuuluu, ja minne viedä isot ja vaaralliset jätteet.',
      sv: 'Vilket kärl som är rätt för vilket avfall, och vart du lämnar stort och farligt avfall.',
      en: 'Which bin each kind of waste goes into, and where to take bulky and hazardous waste.',
    },
    body: {
      fi: `<h2>Kotitalouden jäteastiat</h2><ul><li><strong>Biojäte:</strong> ruoantähteet, kahvinporot, talouspaperit</li><li><strong>Kartonki:</strong> maito- ja mehutölkit, pahvilaatikot litistettyinä</li><li><strong>Muovi:</strong> puhtaat muovipakkaukset</li><li><strong>Sekajäte:</strong> vain se, mitä ei voi lajitella</li></ul>
<h2>Isot ja vaaralliset jätteet</h2><p>Vie huonekalut, paristot, maalit ja sähkölaitteet jäteasemalle. Vaarallinen jäte otetaan vastaan maksutta.</p>`,
      sv: `<h2>Hushållets avfallskärl</h2><ul><li><strong>Bioavfall:</strong> matrester, kaffesump, hushållspapper</li><li><strong>Kartong:</strong> mjölk- och saftförpackningar, platta pappkartonger</li><li><strong>Plast:</strong> rena plastförpackningar</li><li><strong>Blandavfall:</strong> bara det som inte kan sorteras</li></ul>
<h2>Stort och farligt avfall</h2><p>Lämna möbler, batterier, färger och elapparater på avfallsstationen. Farligt avfall tas emot avgiftsfritt.</p>`,
      en: `<h2>Household bins</h2><ul><li><strong>Bio-waste:</strong> food scraps, coffee grounds, kitchen paper</li><li><strong>Cardboard:</strong> milk and juice cartons, flattened boxes</li><li><strong>Plastic:</strong> clean plastic packaging</li><li><strong>Mixed waste:</strong> only what cannot be sorted</li></ul>
<h2>Bulky and hazardous waste</h2><p>Take furniture, batteries, paint and electrical appliances to the waste station. Hazardous waste is accepted free of charge.</p>`,
    },
  },
];

export async function seedContentPages(services: Services, tenantSlug = 'esimerkkila'): Promise<void> {
  await services.db.transaction(async (tx) => {
    // Instances starting together on an empty database take turns (as the tenant seed does).
    await tx.query('select pg_advisory_xact_lock(727276)');
    const t = await tx.query<{ id: string }>('select id from tenants where slug = $1', [tenantSlug]);
    const tenantId = t.rows[0]?.id;
    if (!tenantId) return;
    let changed = false;
    for (const p of PAGES) {
      const exists = await tx.query('select 1 from content_pages where tenant_id = $1 and slug = $2', [tenantId, p.slug]);
      if (exists.rows.length) continue;
      const body = Object.fromEntries(Object.entries(p.body).map(([l, html]) => [l, sanitizeRichText(html ?? '')]));
      const published = { title: p.title, summary: p.summary, body, version: 1 };
      const r = await tx.query(
        `insert into content_pages (tenant_id, slug, title, summary, body, topic, published, published_at, version)
         values ($1,$2,$3,$4,$5,$6,$7, now(), 1) on conflict (tenant_id, slug) do nothing returning *`,
        [tenantId, p.slug, JSON.stringify(p.title), JSON.stringify(p.summary), JSON.stringify(body), p.topic, JSON.stringify(published)],
      );
      if (!r.rows[0]) continue;
      const page = contentPageFromRow(r.rows[0]);
      for (const [action, ago] of [['create', 60], ['publish', 0]] as const) {
        await tx.query(
          `insert into content_page_versions (tenant_id, page_id, version, action, title, summary, body, changed_by_name, changed_at)
           values ($1,$2,1,$3,$4,$5,$6,'Aukio demo', now() - make_interval(secs => $7))`,
          [tenantId, page.id, action, JSON.stringify(p.title), JSON.stringify(p.summary), JSON.stringify(body), ago],
        );
      }
      const doc = pageDocument(page);
      if (doc) await services.searchIndex.put(tx, tenantId, doc);
      changed = true;
    }
    if (changed) await services.contentVersions.bump(tx, tenantId);
  });
}
