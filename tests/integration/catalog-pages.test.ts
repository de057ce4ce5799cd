import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { insertCatalogFixture, type CatalogFixture } from '../helpers/catalog-fixture.ts';
import { engines } from '../helpers/engines.ts';
import { signInAs } from '../helpers/staff-session.ts';

/**
 * Resident catalog pages (service, unit, topics, content pages), sitemap, JSON-LD, hreflang
 * and HTTP caching of anonymous pages, on both engines.
 */
for (const engine of engines()) {
  describe.skipIf(!engine.available)(`catalog pages (${engine.name})`, () => {
    let app: TestApp;
    let fx: CatalogFixture;
    let fxB: CatalogFixture;
    let tenantA: string;
    const CSRF = 'C'.repeat(32);
    const anon = { cookie: `aukio_csrf=${CSRF}` };

    beforeAll(async () => {
      app = await startTestApp(engine.name, { work: false });
      const ids = await app.services.db.query<{ id: string; slug: string }>(`select id, slug from tenants`);
      tenantA = ids.rows.find((r) => r.slug === 'esimerkkila')!.id;
      const tenantB = ids.rows.find((r) => r.slug === 'jarvikyla')!.id;
      fx = await insertCatalogFixture(app.services.db, tenantA);
      fxB = await insertCatalogFixture(app.services.db, tenantB, { prefix: 'b-' });
    });
    afterAll(async () => {
      await app?.close();
    });

    const get = (path: string, headers: Record<string, string> = anon, host = HOST_A) => hostFetch(app, host)(path, { headers });

    it('service page: what it is, cost, and channels in order e-service, phone, visit, web, forms', async () => {
      const r = await get(`/fi/services/${fx.serviceId}`);
      expect(r.status).toBe(200);
      const html = await r.text();
      expect(html).toContain('<h1>Varhaiskasvatukseen hakeminen</h1>');
      expect(html).toContain('Lapset ja lapsiperheet');
      expect(html).toContain('Maksullinen');
      const order = [
        'https://asiointi.esimerkkila.fi/varhaiskasvatus',
        'tel:+358945672200',
        `/fi/units/${fx.unitId}`,
        'https://www.esimerkkila.fi/varhaiskasvatus',
        'https://www.esimerkkila.fi/lomakkeet/vk-3.pdf',
      ].map((s) => html.indexOf(s));
      expect(order.every((i) => i > 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      // Strong identification note, form id, archived channel hidden, draft text absent.
      expect(html).toContain('vahva tunnistautuminen');
      expect(html).toContain('Lomaketunnus VK-3');
      expect(html).not.toContain(fx.archivedUnitId);
      // Open-now line for the places (the always-open one is deterministic).
      expect(html).toContain('Avoinna ympäri vuorokauden');
      expect(html).toMatch(/(Avoinna nyt|Suljettu nyt)/);
      // Breadcrumbs: home › first service class › service.
      expect(html).toMatch(/<nav aria-label="Murupolku"[^>]*>.*href="\/fi".*href="\/fi\/topics\/P3\.4".*aria-current="page"/s);
    });

    it('falls back to the tenant default language with a lang attribute', async () => {
      const html = await (await get(`/sv/services/${fx.serviceId}`)).text();
      expect(html).toContain('<h1>Ansökan om småbarnspedagogik</h1>');
      // User instructions exist only in Finnish.
      expect(html).toMatch(/<div lang="fi" class="prose"><p>Täytä hakemus verkossa/);
      // The Swedish number is picked for the Swedish page.
      expect(html).toContain('tel:+358945672201');
      expect(html).toContain('Stängt');
    });

    it('JSON-LD is GovernmentService and parses; hreflang alternates in the head', async () => {
      const r = await get(`/fi/services/${fx.serviceId}`);
      const html = await r.text();
      const nonce = /'nonce-([^']+)'/.exec(r.headers.get('content-security-policy') ?? '')![1];
      const m = /<script type="application\/ld\+json" nonce="([^"]+)">(.*?)<\/script>/s.exec(html);
      expect(m).toBeTruthy();
      expect(m![1]).toBe(nonce);
      const ld = JSON.parse(m![2]);
      expect(ld['@type']).toBe('GovernmentService');
      expect(ld.name).toBe('Varhaiskasvatukseen hakeminen');
      expect(ld.provider).toEqual({ '@type': 'GovernmentOrganization', name: 'Esimerkkilän kaupunki' });
      const kinds = ld.availableChannel.map((c: Record<string, unknown>) => Object.keys(c).find((k) => k.startsWith('service')));
      expect(kinds).toEqual(['serviceUrl', 'servicePhone', 'serviceLocation', 'serviceLocation', 'serviceUrl']);
      const head = html.slice(0, html.indexOf('</head>'));
      for (const l of ['fi', 'sv', 'en']) {
        expect(head).toContain(`<link rel="alternate" hrefLang="${l}" href="http://${HOST_A}/${l}/services/${fx.serviceId}"/>`);
      }
      expect(head).toContain(`hrefLang="x-default" href="http://${HOST_A}/fi/services/${fx.serviceId}"`);
    });

    it('404 (never 500) for a draft, another tenant, an unknown and an invalid id', async () => {
      for (const path of [
        `/fi/services/${fx.draftServiceId}`,
        `/fi/services/${fxB.serviceId}`,
        `/fi/services/00000000-0000-4000-8000-000000000000`,
        `/fi/services/not-a-uuid`,
        `/fi/services/${fx.serviceId}'--`,
        `/fi/units/${fx.archivedUnitId}`,
        `/fi/units/${fx.phoneId}`,
        `/fi/units/${fxB.unitId}`,
        `/fi/units/x`,
        `/fi/topics/P99.9`,
        `/fi/topics/%27%3B`,
        `/fi/pages/${fx.draftPageSlug}`,
        `/fi/pages/NOT_A_SLUG`,
      ]) {
        const r = await get(path);
        expect(r.status, path).toBe(404);
        expect(await r.text(), path).toContain('Sivua ei löytynyt');
      }
      // Tenant B sees its own copy only.
      expect((await get(`/fi/services/${fxB.serviceId}`, anon, HOST_B)).status).toBe(200);
      expect((await get(`/fi/services/${fx.serviceId}`, anon, HOST_B)).status).toBe(404);
      // A language the tenant does not have.
      expect((await get(`/sv/services/${fxB.serviceId}`, anon, HOST_B)).status).toBe(404);
    });

    it('unit page: address, map link, hours, contact, services offered there, Place JSON-LD', async () => {
      const html = await (await get(`/fi/units/${fx.unitId}`)).text();
      expect(html).toContain('<h1>Kaupungintalon asiointipiste</h1>');
      expect(html).toContain('Raatihuoneenkatu 1');
      expect(html).toContain('https://www.openstreetmap.org/?mlat=60.4012&amp;mlon=24.9087#map=17/60.4012/24.9087');
      expect(html).toContain('Aukioloajat');
      expect(html).toContain('ma\u2060–\u2060ke 9.00\u2060–\u206016.00');
      expect(html).toContain('mailto:asiointi@esimerkkila.fi');
      expect(html).toContain(`href="/fi/services/${fx.serviceId}"`);
      // The draft service linked to this unit is not listed.
      expect(html).not.toContain(fx.draftServiceId);
      const ld = JSON.parse(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/s.exec(html)![1]);
      expect(ld['@type']).toBe('GovernmentOffice');
      expect(ld.address).toMatchObject({ '@type': 'PostalAddress', streetAddress: 'Raatihuoneenkatu 1', postalCode: '00990' });
      expect(ld.geo).toEqual({ '@type': 'GeoCoordinates', latitude: 60.4012, longitude: 24.9087 });
      expect(ld.openingHoursSpecification).toContainEqual({
        '@type': 'OpeningHoursSpecification',
        opens: '00:00',
        closes: '00:00',
        validFrom: '2026-12-24',
        validThrough: '2026-12-26',
      });
    });

    it('topics and content pages; only the published snapshot of a page', async () => {
      const topics = await (await get('/fi/topics')).text();
      expect(topics).toContain('href="/fi/topics/P3.4"');
      expect(topics).toContain('Varhaiskasvatus');
      expect(topics).toContain('1 palvelu');
      // Target groups ("who it is for") too.
      expect(topics).toContain('href="/fi/topics?group=KR1.2"');
      const group = await (await get('/fi/topics?group=KR1.2')).text();
      expect(group).toContain('Lapset ja lapsiperheet');
      expect(group).toContain(`href="/fi/services/${fx.serviceId}"`);
      expect(group).not.toContain('Luonnospalvelu');
      expect((await get('/fi/topics?group=NOPE')).status).toBe(404);
      expect((await get('/fi/topics?group=%3Cx%3E')).status).toBe(404);
      const topic = await (await get('/fi/topics/P3.4')).text();
      expect(topic).toContain(`href="/fi/services/${fx.serviceId}"`);
      expect(topic).not.toContain('Luonnospalvelu');
      expect(topic).toContain(`href="/fi/pages/${fx.pageSlug}"`);
      const page = await (await get(`/fi/pages/${fx.pageSlug}`)).text();
      expect(page).toContain('<h1>Näin asioit kaupungin kanssa</h1>');
      expect(page).toContain('<strong>verkossa</strong>');
      expect(page).not.toContain('LUONNOSTEKSTI');
      expect(page).not.toContain('Luonnosotsikko');
      // The front page links to the topics.
      expect(await (await get('/fi')).text()).toContain('href="/fi/topics"');
    });

    it('sitemap index, per-language sitemaps with alternates, robots.txt', async () => {
      const index = await get('/sitemap.xml');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toContain('application/xml');
      const indexXml = await index.text();
      expect(parseXml(indexXml).getElementsByTagName('sitemap').length).toBe(3);
      expect(indexXml).toContain(`<loc>http://${HOST_A}/sitemap-sv.xml</loc>`);
      const fi = await (await get('/sitemap-fi.xml')).text();
      const doc = parseXml(fi);
      const locs = [...Array.from(doc.getElementsByTagName('loc'))].map((n) => n.textContent);
      expect(locs).toContain(`http://${HOST_A}/fi/services/${fx.serviceId}`);
      expect(locs).toContain(`http://${HOST_A}/fi/units/${fx.unitId}`);
      expect(locs).toContain(`http://${HOST_A}/fi/pages/${fx.pageSlug}`);
      expect(locs).toContain(`http://${HOST_A}/fi/topics/P3.4`);
      expect(locs).toContain(`http://${HOST_A}/fi`);
      expect(locs).not.toContain(`http://${HOST_A}/fi/services/${fx.draftServiceId}`);
      expect(locs).not.toContain(`http://${HOST_A}/fi/pages/${fx.draftPageSlug}`);
      expect(fi).not.toContain(fxB.serviceId);
      expect(fi).toContain(`<xhtml:link rel="alternate" hreflang="sv" href="http://${HOST_A}/sv/services/${fx.serviceId}"/>`);
      expect(fi).toContain(`<xhtml:link rel="alternate" hreflang="x-default" href="http://${HOST_A}/fi/services/${fx.serviceId}"/>`);
      expect((await get('/sitemap-sv.xml', anon, HOST_B)).status).toBe(404);
      expect((await get('/sitemap-xx.xml')).status).toBe(404);
      const robots = await (await get('/robots.txt')).text();
      expect(robots).toContain(`Sitemap: http://${HOST_A}/sitemap.xml`);
      expect(robots).toContain('Disallow: /fi/staff');
    });

    it('anonymous pages: ETag, 304 before rendering, a new page after a publish', async () => {
      const path = `/fi/services/${fx.serviceId}`;
      const first = await get(path);
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^W\/"[\w-]{22}\.[0-9a-z]+"$/);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      const again = await get(path, { ...anon, 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body).toBeNull();
      expect(again.headers.get('content-security-policy')).toBeNull();
      // Another visitor (another CSRF cookie) cannot reuse this copy: its forms carry another token.
      expect((await get(path, { cookie: `aukio_csrf=${'D'.repeat(32)}`, 'if-none-match': etag })).status).toBe(200);
      // A publish: the content changes and the version is bumped in the same transaction.
      await app.services.db.transaction(async (tx) => {
        await tx.query(`update catalog_services set names = jsonb_set(names, '{fi}', '"Varhaiskasvatushakemus"') where id = $1`, [fx.serviceId]);
        await app.services.contentVersions.bump(tx, tenantA);
      });
      const after = await get(path, { ...anon, 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('<h1>Varhaiskasvatushakemus</h1>');
      expect(after.headers.get('etag')).not.toBe(etag);
      // The microcache also answers with the new content at once (same URL, within its 2 s).
      expect(await (await get(path)).text()).toContain('<h1>Varhaiskasvatushakemus</h1>');
    });

    it('signed-in visitors get no ETag, no 304 and no shared render', async () => {
      const path = `/fi/services/${fx.serviceId}`;
      const etag = (await get(path)).headers.get('etag')!;
      const staff = await signInAs(app, HOST_A, 'admin@esimerkkila.fi');
      const r = await get(path, { cookie: staff.cookie, 'if-none-match': etag });
      expect(r.status).toBe(200);
      expect(r.headers.get('etag')).toBeNull();
      expect(r.headers.get('cache-control')).toBe('private, no-cache');
      expect(await r.text()).toContain('href="/fi/staff"');
    });
  });
}

function parseXml(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({ onError: (level: string, msg: string) => void (level !== 'warning' && errors.push(msg)) } as never).parseFromString(text, 'application/xml');
  expect(errors).toEqual([]);
  return doc;
}
