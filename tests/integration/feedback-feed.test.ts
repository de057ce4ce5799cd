import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import type { SubmissionInput } from '../../src/modules/feedback/model.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';

/*
 * The public feedback feed on both engines: the feed page (list and map view), the public
 * case page and RSS show only published cases of categories that allow publishing, only
 * their moderated texts, never contact details or the resident's own words; the category
 * filter, the pager, 404s, XSS-inert RSS, caching after a publish, and tenant isolation.
 * Publishing itself is the staff console's; here it is done in SQL, as the brief of the
 * feed says, followed by the content-version bump the console does.
 */

const ANON: Actor = { kind: 'anonymous' };
const SECRET_EMAIL = 'salainen.asukas@example.com';
const SECRET_NAME = 'Salla Salainen';
const SECRET_PHONE = '+358401234567';
const RSS_TYPE = 'application/rss+xml; charset=utf-8';

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`public feedback feed (${engine.name})`, () => {
    let app: TestApp;
    let tenantA: string;
    let tenantB: string;
    const getA = (path: string, headers: Record<string, string> = {}) => hostFetch(app, HOST_A)(path, { headers });
    const getB = (path: string, headers: Record<string, string> = {}) => hostFetch(app, HOST_B)(path, { headers });
    let n = 0;

    async function submit(tenantId: string, input: Partial<SubmissionInput> & { categoryCode: string }) {
      n++;
      return app.services.feedback.submit(
        ANON,
        tenantId,
        { description: `Alkuperäinen kuvaus ORIGINAL-${n}-${Math.random().toString(36).slice(2)}`, lang: 'fi', ...input },
        // Not the web channel: the per-IP rate limit is the web form's and would stop a fixture of 30 cases.
        { channel: 'open311', origin: 'http://esimerkkila.localhost' },
      );
    }

    /** What the staff console's publish does: moderated texts, published_at, and the content-version bump. */
    async function publish(tenantId: string, caseId: string, description: string, answer: string | null, at?: string) {
      await app.services.db.transaction(async (tx) => {
        await tx.query(
          `update feedback_cases set publication = 'published', public_description = $3, public_answer = $4, published_at = coalesce($5::timestamptz, now())
           where tenant_id = $1 and id = $2`,
          [tenantId, caseId, description, answer, at ?? null],
        );
        await app.services.contentVersions.bump(tx, tenantId);
      });
    }

    const cases: Record<string, { id: string; number: number; original: string }> = {};
    async function make(key: string, tenantId: string, input: Partial<SubmissionInput> & { categoryCode: string }) {
      const description = `Alkuperäinen kuvaus ORIGINAL-${key}-${Math.random().toString(36).slice(2)}`;
      const r = await submit(tenantId, { description, ...input });
      cases[key] = { id: r.caseId, number: r.number, original: description };
      return cases[key];
    }

    beforeAll(async () => {
      app = await startTestApp(engine.name, { env: { MAP_TILE_URL: 'none' } });
      const t = await app.services.db.query<{ id: string; slug: string }>('select id, slug from tenants');
      tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
      tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
      const contact = { contactEmail: SECRET_EMAIL, contactName: SECRET_NAME, contactPhone: SECRET_PHONE };

      // Oldest first: published_at decides the order, newest first.
      const pothole = await make('pothole', tenantA, { categoryCode: 'pothole', lat: 61.4981, lon: 23.7608, address: 'Hämeenkatu 10', ...contact });
      await publish(tenantA, pothole.id, 'Syvä kuoppa pyörätiellä Hämeenkadulla.', 'Kuoppa paikattiin 3.11.', '2026-11-01T10:00:00Z');
      const xss = await make('xss', tenantA, { categoryCode: 'praise', ...contact });
      await publish(tenantA, xss.id, 'Kiitos! <script>alert("x")</script> ]]> & <b>lihava</b>\u0007', 'Vastaus <img src=x onerror=alert(1)>', '2026-11-02T10:00:00Z');
      const light = await make('light', tenantA, { categoryCode: 'street-light', lat: 61.5, lon: 23.77, address: 'Satakunnankatu 5', ...contact });
      await publish(tenantA, light.id, 'Katuvalo ei pala Satakunnankadulla.', null, '2026-11-03T10:00:00Z');
      // Not published, and published in a category that does not allow it: neither is public.
      await make('unpublished', tenantA, { categoryCode: 'pothole', lat: 61.49, lon: 23.76, address: 'Kuninkaankatu 1', ...contact });
      const acc = await make('private', tenantA, { categoryCode: 'accessibility', ...contact });
      await publish(tenantA, acc.id, 'SAAVUTETTAVUUS-EI-JULKINEN', 'EI-JULKINEN-VASTAUS', '2026-11-04T10:00:00Z');
      // Pending (awaiting moderation) is not published either.
      const pending = await make('pending', tenantA, { categoryCode: 'complaint', ...contact });
      await app.services.db.query(`update feedback_cases set publication = 'pending', public_description = 'ODOTTAA-MODEROINTIA' where id = $1`, [pending.id]);

      // Järvikylä's own published case.
      const b = await make('b', tenantB, { categoryCode: 'street', lat: 62.0, lon: 25.0, address: 'Kylätie 1', ...contact });
      await publish(tenantB, b.id, 'JARVIKYLA-KUOPPA kylätiellä.', 'JARVIKYLA-VASTAUS', '2026-11-05T10:00:00Z');
    }, 180_000);
    afterAll(() => app?.close());

    it('shows published cases of public categories, newest first, without contact details or the original text', async () => {
      const res = await getA('/fi/feedback');
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Syvä kuoppa pyörätiellä Hämeenkadulla.');
      expect(html).toContain('Kuoppa paikattiin 3.11.');
      expect(html).toContain('Katuvalo ei pala Satakunnankadulla.');
      expect(html).toContain('Hämeenkatu 10');
      // Newest first.
      expect(html.indexOf('Katuvalo ei pala')).toBeLessThan(html.indexOf('Syvä kuoppa'));
      // Category and status in words, a link to the case page, the way to give feedback.
      expect(html).toContain('Katuvaurio tai kuoppa');
      expect(html).toContain('Vastaanotettu');
      expect(html).toContain(`href="/fi/feedback/${cases.pothole.number}"`);
      expect(html).toContain('href="/fi/feedback/new"');
      expect(html).toMatch(/<link[^>]+rel="alternate"[^>]+type="application\/rss\+xml"[^>]*href="\/fi\/feedback\/rss.xml"/);
      for (const secret of [SECRET_EMAIL, SECRET_NAME, SECRET_PHONE, 'ORIGINAL-', 'SAAVUTETTAVUUS-EI-JULKINEN', 'EI-JULKINEN-VASTAUS', 'ODOTTAA-MODEROINTIA', 'Kuninkaankatu 1', 'JARVIKYLA']) {
        expect(html, secret).not.toContain(secret);
      }
      // Text is text: the script tag in a published description is escaped by React.
      expect(html).not.toContain('<script>alert("x")');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;');
    });

    it('works in sv and en, and 404s in a language the tenant does not have', async () => {
      const sv = await (await getA('/sv/feedback')).text();
      expect(sv).toContain('Gatuskada eller grop');
      expect(sv).toContain('href="/sv/feedback/new"');
      const en = await (await getA('/en/feedback')).text();
      expect(en).toContain('Pothole or street damage');
      expect(en).toContain('Received');
      expect((await getB('/sv/feedback')).status).toBe(404);
    });

    it('filters by category with a GET form, and ignores an unknown category', async () => {
      const html = await (await getA('/fi/feedback?category=street-light')).text();
      expect(html).toContain('Katuvalo ei pala');
      expect(html).not.toContain('Syvä kuoppa');
      const form = html.match(/<form[^>]*action="\/fi\/feedback"[^>]*>/)?.[0];
      expect(form).toContain('method="get"');
      expect(html).toMatch(/<option value="street-light" selected="">/);
      // Categories that do not allow publishing are not offered.
      expect(html).not.toContain('value="accessibility"');
      expect(html).toContain('href="/fi/feedback/rss.xml?category=street-light"');
      const unknown = await getA('/fi/feedback?category=%3Cscript%3E');
      expect(unknown.status).toBe(200);
      const all = await unknown.text();
      expect(all).toContain('Syvä kuoppa');
      expect(all).not.toContain('<script>');
      // No public case in this category yet.
      expect(await (await getA('/fi/feedback?category=winter')).text()).toContain('Tässä aiheessa ei ole julkaistuja palautteita.');
    });

    it('map view: markers for located items and the same items as a list, with a sentence saying so', async () => {
      const html = await (await getA('/fi/feedback?view=map')).text();
      expect(html).toMatch(/<a href="\/fi\/feedback\?view=map" aria-current="page">Kartta<\/a>/);
      expect(html).toMatch(/<a href="\/fi\/feedback">Lista<\/a>/);
      expect(html).toContain('Alla oleva lista sisältää samat palautteet kuin kartta');
      // All three public items are listed, the one without a location marked as such.
      for (const k of ['pothole', 'xss', 'light']) expect(html).toContain(`href="/fi/feedback/${cases[k].number}"`);
      expect(html).toContain('Ei sijaintia kartalla');
      expect(html).toContain('Sijainti kartalla: 2. Ilman sijaintia: 1.');
      // The filter keeps the view.
      expect(html).toContain('<input type="hidden" name="view" value="map"/>');
      const list = await (await getA('/fi/feedback')).text();
      expect(list).toMatch(/<a href="\/fi\/feedback" aria-current="page">Lista<\/a>/);
      expect(list).not.toContain('Ei sijaintia kartalla');
    });

    it('pages through many published cases', async () => {
      // 22 more in one category: 20 on page one, the rest on page two.
      for (let i = 0; i < 22; i++) {
        const c = await make(`many${i}`, tenantA, { categoryCode: 'waste-bin', attributes: { bin: 'mixed' }, lat: 61.45 + i / 1000, lon: 23.8, address: `Roskakatu ${i + 1}` });
        await publish(tenantA, c.id, `Roskis ${String(i).padStart(2, '0')} täynnä.`, null, `2026-10-${String(i + 1).padStart(2, '0')}T08:00:00Z`);
      }
      const one = await (await getA('/fi/feedback?category=waste-bin')).text();
      expect(one.match(/class="feedback-item"/g)).toHaveLength(20);
      expect(one).toContain('22 julkaistua palautetta aiheessa');
      expect(one).toContain('Roskis 21 täynnä.');
      expect(one).not.toContain('Roskis 01 täynnä.');
      expect(one).toContain('href="/fi/feedback?category=waste-bin&amp;page=2"');
      expect(one).toContain('Sivu 1/2');
      const two = await (await getA('/fi/feedback?category=waste-bin&page=2')).text();
      expect(two.match(/class="feedback-item"/g)).toHaveLength(2);
      expect(two).toContain('Roskis 01 täynnä.');
      expect(two).toContain('Roskis 00 täynnä.');
      expect(two).toMatch(/aria-label="Sivu 2" aria-current="page"/);
      // Past the end: a way back, not an error; nonsense page numbers mean page one.
      const far = await getA('/fi/feedback?category=waste-bin&page=9');
      expect(far.status).toBe(200);
      expect(await far.text()).toContain('Siirry ensimmäiselle sivulle');
      expect(await (await getA('/fi/feedback?category=waste-bin&page=-3')).text()).toContain('Roskis 21 täynnä.');
    });

    it('case page: the public texts, status, location with an OpenStreetMap link; 404 for anything not public', async () => {
      const res = await getA(`/fi/feedback/${cases.pothole.number}`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Syvä kuoppa pyörätiellä Hämeenkadulla.');
      expect(html).toContain('Kuoppa paikattiin 3.11.');
      expect(html).toContain('Vastaanotettu');
      expect(html).toContain('Hämeenkatu 10');
      expect(html).toContain('https://www.openstreetmap.org/?mlat=61.49810&amp;mlon=23.76080#map=17/61.49810/23.76080');
      expect(html).toContain('1.11.2026');
      for (const secret of [SECRET_EMAIL, SECRET_NAME, SECRET_PHONE, 'ORIGINAL-', cases.pothole.id]) expect(html, secret).not.toContain(secret);
      const en = await (await getA(`/en/feedback/${cases.pothole.number}`)).text();
      expect(en).toContain('Show the location on OpenStreetMap');
      // Without coordinates: no map link.
      const xss = await (await getA(`/fi/feedback/${cases.xss.number}`)).text();
      expect(xss).not.toContain('openstreetmap.org');
      expect(xss).not.toContain('<script>alert');

      for (const path of [
        `/fi/feedback/${cases.unpublished.number}`,
        `/fi/feedback/${cases.private.number}`,
        `/fi/feedback/${cases.pending.number}`,
        '/fi/feedback/999999',
        '/fi/feedback/abc',
        `/fi/feedback/0${cases.pothole.number}`,
        `/fi/feedback/${cases.pothole.id}`,
      ]) {
        expect((await getA(path)).status, path).toBe(404);
      }
    });

    it('RSS 2.0: valid XML, channel per tenant and language, items linking to the case pages, escaped plain text', async () => {
      const res = await getA('/fi/feedback/rss.xml');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(RSS_TYPE);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const xml = await res.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'item' }).parse(xml);
      expect(doc.rss['@version']).toBe('2.0');
      const ch = doc.rss.channel;
      expect(ch.title).toBe('Palautteet ja vastaukset – Esimerkkilän kaupunki');
      expect(ch.link).toBe(`http://${HOST_A}/fi/feedback`);
      expect(ch.language).toBe('fi');
      expect(ch['atom:link']['@rel']).toBe('self');
      expect(ch['atom:link']['@href']).toBe(`http://${HOST_A}/fi/feedback/rss.xml`);
      expect(doc.rss['@xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
      const items = ch.item as Record<string, any>[];
      const pothole = items.find((i) => i.link === `http://${HOST_A}/fi/feedback/${cases.pothole.number}`)!;
      expect(pothole).toBeTruthy();
      expect(pothole.guid['#text']).toBe(pothole.link);
      expect(pothole.guid['@isPermaLink']).toBe('true');
      expect(pothole.pubDate).toBe('Sun, 01 Nov 2026 10:00:00 GMT');
      expect(pothole.pubDate).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(pothole.category).toBe('Katuvaurio tai kuoppa');
      expect(pothole.description).toContain('Syvä kuoppa pyörätiellä Hämeenkadulla.');
      expect(pothole.description).toContain('Vastaus: Kuoppa paikattiin 3.11.');
      expect(pothole.description).toContain('Tila: Vastaanotettu');
      // Newest first.
      expect(items[0].link).toBe(`http://${HOST_A}/fi/feedback/${cases.light.number}`);

      // The <script> and ]]> description: after XML parsing it is HTML-escaped text, so a
      // reader that renders descriptions as HTML shows the characters; no markup anywhere.
      const xss = items.find((i) => i.link.endsWith(`/fi/feedback/${cases.xss.number}`))!;
      expect(xss.description).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(xss.description).toContain(']]&gt;');
      expect(xss.description).toContain('&lt;img src=x onerror=alert(1)&gt;');
      for (const i of items) {
        expect(String(i.description)).not.toMatch(/[<>]/);
        expect(String(i.title)).not.toMatch(/[<>]/);
      }
      expect(xml).not.toMatch(/<script|<img|<b>|CDATA|\u0007/);

      for (const secret of [SECRET_EMAIL, SECRET_NAME, SECRET_PHONE, 'ORIGINAL-', 'SAAVUTETTAVUUS-EI-JULKINEN', 'ODOTTAA-MODEROINTIA', 'Kuninkaankatu 1', 'JARVIKYLA']) {
        expect(xml, secret).not.toContain(secret);
      }
    });

    it('RSS per language and category; ETag and 304; 404 for unknown languages and categories', async () => {
      const sv = await (await getA('/sv/feedback/rss.xml')).text();
      const svDoc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(sv);
      expect(svDoc.rss.channel.title).toBe('Respons och svar – Exempelby stad');
      expect(sv).toContain(`http://${HOST_A}/sv/feedback/${cases.pothole.number}`);
      expect(sv).toContain('<category>Gatuskada eller grop</category>');
      const en = await (await getA('/en/feedback/rss.xml')).text();
      expect(en).toContain('<title>Feedback and answers – City of Esimerkkilä</title>');

      const light = await (await getA('/fi/feedback/rss.xml?category=street-light')).text();
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => name === 'item' }).parse(light);
      expect(doc.rss.channel.item).toHaveLength(1);
      expect(doc.rss.channel.title).toBe('Palautteet ja vastaukset: Katuvalo ei toimi – Esimerkkilän kaupunki');
      expect(doc.rss.channel['atom:link']['@href']).toBe(`http://${HOST_A}/fi/feedback/rss.xml?category=street-light`);

      const first = await getA('/fi/feedback/rss.xml');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await getA('/fi/feedback/rss.xml', { 'if-none-match': etag });
      expect(again.status).toBe(304);

      expect((await getA('/fi/feedback/rss.xml?category=accessibility')).status).toBe(404);
      expect((await getA('/fi/feedback/rss.xml?category=nope')).status).toBe(404);
      expect((await getA('/xx/feedback/rss.xml')).status).toBe(404);
      expect((await getB('/sv/feedback/rss.xml')).status).toBe(404);
    });

    it("tenant isolation: Järvikylä's feed, case pages and RSS never show Esimerkkilä's cases", async () => {
      const page = await (await getB('/fi/feedback')).text();
      expect(page).toContain('JARVIKYLA-KUOPPA');
      for (const s of ['Syvä kuoppa', 'Katuvalo ei pala', 'Roskis', 'Kiitos!']) expect(page, s).not.toContain(s);
      const rss = await (await getB('/fi/feedback/rss.xml')).text();
      expect(rss).toContain('JARVIKYLA-KUOPPA');
      expect(rss).toContain('– Järvikylän kunta</title>');
      for (const s of ['Syvä kuoppa', 'Katuvalo ei pala', 'Roskis', 'Kiitos!', HOST_A]) expect(rss, s).not.toContain(s);
      // Esimerkkilä's case numbers on Järvikylä's host are Järvikylä's cases or nothing.
      for (const k of ['pothole', 'light', 'xss']) {
        const res = await getB(`/fi/feedback/${cases[k].number}`);
        if (res.status === 200) expect(await res.text()).not.toMatch(/Syvä kuoppa|Katuvalo ei pala|Kiitos!/);
        else expect(res.status).toBe(404);
      }
      // And the other way round.
      const a = await getA(`/fi/feedback/${cases.b.number}`);
      if (a.status === 200) expect(await a.text()).not.toContain('JARVIKYLA');
      else expect(a.status).toBe(404);
      // A category of the other tenant is no filter here.
      expect(await (await getB('/fi/feedback?category=pothole')).text()).not.toContain('Syvä kuoppa');
    });

    it('anonymous page caching: ETag and 304, and a publish shows at once', async () => {
      const first = await getA('/fi/feedback');
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
      const same = await getA('/fi/feedback', { 'if-none-match': etag!, cookie });
      expect(same.status).toBe(304);
      // A status change of a published case does not bump the content version: the tag says
      // (in clear, see microcache.ts) that the render is right for at most a minute.
      const validUntil = parseInt(etag!.match(/\.([0-9a-z]+)"$/)![1], 36);
      expect(validUntil - Date.now()).toBeGreaterThan(0);
      expect(validUntil - Date.now()).toBeLessThanOrEqual(60_000);

      const c = await make('late', tenantA, { categoryCode: 'complaint' });
      await publish(tenantA, c.id, 'JUURI-JULKAISTU palaute.', 'Kiitos, korjaamme.');
      const after = await getA('/fi/feedback', { 'if-none-match': etag!, cookie });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('JUURI-JULKAISTU');
      expect(await (await getA('/fi/feedback/rss.xml')).text()).toContain('JUURI-JULKAISTU');
      expect((await getA(`/fi/feedback/${c.number}`)).status).toBe(200);

      // Unpublishing (the console also bumps): the case page is gone again.
      await app.services.db.transaction(async (tx) => {
        await tx.query(`update feedback_cases set publication = 'rejected' where id = $1`, [c.id]);
        await app.services.contentVersions.bump(tx, tenantA);
      });
      expect((await getA(`/fi/feedback/${c.number}`)).status).toBe(404);
      expect(await (await getA('/fi/feedback')).text()).not.toContain('JUURI-JULKAISTU');
    });

    it('the sitemap lists the feedback page in every language', async () => {
      const fi = await (await getA('/sitemap-fi.xml')).text();
      expect(fi).toContain(`<loc>http://${HOST_A}/fi/feedback</loc>`);
      expect(fi).toContain(`hreflang="sv" href="http://${HOST_A}/sv/feedback"`);
    });
  });
}
