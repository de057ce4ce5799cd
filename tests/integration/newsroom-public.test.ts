import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import { drawScene } from '../../src/server/demo/press-room.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { newsroomWriter } from '../helpers/newsroom.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * The public newsroom pages without JavaScript (plain HTML from the server): the news list
 * with its topic filter, an item page (body, images, attachments, event facts, related
 * services, JSON-LD, feed links), the press room's archive search (a Finnish inflected word,
 * filters, paging), release permalinks, the image bank and the press contacts; 404s; related
 * news on a service page; the microcache following a publish; and the console's image bank
 * and press-contact pages (forms, authorization, audit), on both engines.
 */

const CSRF = 'C'.repeat(32);
const anon = { cookie: `aukio_csrf=${CSRF}` };

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`newsroom public pages (${engine.name})`, () => {
    let app: TestApp;
    let editor: Awaited<ReturnType<typeof staffClient>>;
    let publisher: Awaited<ReturnType<typeof staffClient>>;
    let agent: Awaited<ReturnType<typeof staffClient>>;
    let get: (path: string) => Promise<Response>;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { work: false });
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      agent = await staffClient(app, HOST_A, 'asiakaspalvelu@esimerkkila.fi');
      const f = hostFetch(app, HOST_A);
      get = (path) => f(path, { headers: anon });
    }, 120_000);
    afterAll(() => app?.close());

    const page = async (path: string, status = 200) => {
      const r = await get(path);
      expect(r.status, path).toBe(status);
      // React separates adjacent text nodes with empty comments; the tests read the text.
      return (await r.text()).replaceAll('<!-- -->', '');
    };
    const writer = () => newsroomWriter(editor, publisher);
    const create = (body: Record<string, unknown>) => writer().create(body);
    const publish = (item: NewsItem) => writer().publish(item);
    const jsonLd = (html: string) => [...html.matchAll(/<script type="application\/ld\+json"[^>]*>(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]) as Record<string, unknown>);

    it('news list: published public items in the language with date, lead, topics and the thumbnail; topic filter; feeds announced', async () => {
      const html = await page('/fi/news');
      expect(html).toContain('<h1>Uutiset</h1>');
      expect(html).toContain('href="/fi/news/talvikunnossapito-kaynnistyy"');
      expect(html).toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      expect(html).toContain('href="/fi/news/joulutori-kaupungintalon-pihalla"'.replace('kaupungintalon-pihalla', 'kaupungintalolla'));
      expect(html).not.toContain('Tietoturvakoulutus'); // staff bulletin
      expect(html).toContain('Aurauskalusto on valmiina.'); // lead
      expect(html).toMatch(/<img class="news-thumb" src="\/news-media\/[0-9a-f-]+\/talvinen-katu\.png" alt="Lumiaura luistaa lumisella kadulla sinisen taivaan alla\."/);
      expect(html).toMatch(/<time dateTime="[^"]+">\d{1,2}\.\d{1,2}\.\d{4}<\/time>/);
      expect(html).toContain('Liikenne ja kadut');
      expect(html).toContain('rel="alternate" type="application/rss+xml" title="Uutiset (RSS)" href="/feeds/fi/news.rss"');
      expect(html).toContain('href="/feeds/fi/news.atom"');
      expect(html).toContain('href="/feeds/fi/news.json"');
      // A GET form: topic filter; only that topic's items, feeds of the topic.
      expect(html).toMatch(/<form class="toolbar news-filter" aria-label="Rajaa uutisia" action="\/fi\/news" method="get">/);
      const traffic = await page('/fi/news?topic=liikenne');
      expect(traffic).toContain('talvikunnossapito-kaynnistyy');
      expect(traffic).not.toContain('uusi-paivakoti-satakieli-avautuu');
      expect(traffic).toContain('href="/feeds/fi/news.rss?topic=liikenne"');
      // Swedish: the same items in Swedish.
      const sv = await page('/sv/news');
      expect(sv).toContain('Vinterunderhållet inleds');
      expect(sv).toContain('href="/sv/news/talvikunnossapito-kaynnistyy"');
      // The portal's header has the News link in each language.
      expect(html).toMatch(/<nav aria-label="[^"]+" class="main-nav">.*?<a href="\/fi\/news">Uutiset<\/a>/s);
      expect(sv).toContain('<a href="/sv/news">Nyheter</a>');
      expect(await page('/en/news')).toContain('<a href="/en/news">News</a>');
    });

    it('paging: ten per page, previous and next links', async () => {
      for (let i = 0; i < 10; i++) await publish(await create({ kind: 'news', title: { fi: `Sivutustesti ${i}` }, topics: ['kulttuuri'] }));
      const first = await page('/fi/news?topic=kulttuuri');
      expect(first).toContain('Sivu 1 / 2');
      expect(first).toContain('href="/fi/news?topic=kulttuuri&amp;page=2"');
      const second = await page('/fi/news?topic=kulttuuri&page=2');
      expect(second).toContain('Sivu 2 / 2');
      expect(second).toContain('rel="prev"');
      expect(second).toContain('Joulutori'); // the oldest of the topic lands on page 2
      // A page past the end says so and links back.
      expect(await page('/fi/news?topic=kulttuuri&page=9')).toContain('Ensimmäiselle sivulle');
    });

    it('item page: body as sanitized HTML, image with alt/caption/credit, topics, related services, JSON-LD NewsArticle, feed links', async () => {
      const html = await page('/fi/news/talvikunnossapito-kaynnistyy');
      expect(html).toContain('<h1 id="news-item-title">Talvikunnossapito käynnistyy</h1>');
      expect(html).toContain('<p>Kaupunki vastaa katujen talvikunnossapidosta.');
      expect(html).toMatch(/<figure class="news-figure"><img src="\/news-media\/[^"]+" alt="Lumiaura[^"]+"\/><figcaption><span>Pääkadut aurataan ensin\.<\/span><span class="news-credit"> Kuva: Esimerkkilän kaupunki<\/span>/);
      expect(html).toContain('href="/fi/news?topic=liikenne"');
      // Related services link to their pages.
      const services = await app.services.db.query<{ id: string }>(`select id from catalog_services where external_id = any($1::text[]) and status = 'published'`, [
        ['2eb02a79-fd24-4a60-80c7-a3d16cf0e3ac', '3bc3e227-8c3b-47d0-ac95-5cb63705a9c9'],
      ]);
      expect(services.rows.length).toBeGreaterThan(0);
      for (const s of services.rows) expect(html).toContain(`href="/fi/services/${s.id}"`);
      const ld = jsonLd(html).find((x) => x['@type'] === 'NewsArticle')!;
      expect(ld).toMatchObject({ '@context': 'https://schema.org', headline: 'Talvikunnossapito käynnistyy', url: `http://${HOST_A}/fi/news/talvikunnossapito-kaynnistyy`, inLanguage: 'fi' });
      expect(String((ld.image as string[])[0])).toMatch(new RegExp(`^http://${HOST_A}/news-media/`));
      expect(html).toContain('href="/feeds/fi/news.rss"');
      // The other languages it exists in.
      expect(html).toContain('<a href="/sv/news/talvikunnossapito-kaynnistyy" hrefLang="sv" lang="sv">svenska</a>');
      // The image is served to anyone.
      const src = /<figure class="news-figure"><img src="([^"]+)"/.exec(html)![1];
      const img = await get(src);
      expect(img.status).toBe(200);
      expect(img.headers.get('content-type')).toBe('image/png');
      expect((await get(`${src}?download=1`)).headers.get('content-disposition')).toMatch(/^attachment/);
    });

    it('event page: time range and place, JSON-LD Event; attachments are download links', async () => {
      const html = await page('/fi/news/joulutori-kaupungintalolla');
      expect(html).toMatch(/<dt>Aika<\/dt><dd><time dateTime="[^"]+">[^<]+<\/time>/);
      expect(html).toContain('<dt>Paikka</dt><dd>Kaupungintalontie 1</dd>');
      const ld = jsonLd(html).find((x) => x['@type'] === 'Event')!;
      expect(ld).toMatchObject({ name: 'Joulutori kaupungintalon pihalla', location: { '@type': 'Place', name: 'Kaupungintalontie 1' } });
      expect(ld.startDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);

      // An item with an attachment (a PDF): a download link with its size.
      const item = await create({ kind: 'news', title: { fi: 'Liitteellinen uutinen' }, body: { fi: '<p>Katso liite.</p>' } });
      const actor = await import('../helpers/staff-session.ts').then((m) => m.staffActor(app, editor.tenantId, 'viestinta@esimerkkila.fi'));
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
      const m = await app.services.newsroom.addMedia(actor, editor.tenantId, { itemId: item.id, kind: 'attachment', filename: 'ohje.pdf', data: pdf, meta: { caption: { fi: 'Ohje (PDF)' } } });
      // Not public before publishing: the page and the file are 404.
      await page(`/fi/news/${item.slug}`, 404);
      expect((await get(m.url)).status).toBe(404);
      await publish((await app.services.newsroom.load(editor.tenantId, item.id))!);
      const withFile = await page(`/fi/news/${item.slug}`);
      expect(withFile).toContain(`<a href="${m.url}?download=1" download="ohje.pdf">Ohje (PDF)</a>`);
      expect(withFile).toContain(`(PDF, ${pdf.byteLength} B)`);
      expect((await get(`${m.url}?download=1`)).status).toBe(200);
    });

    it('permalinks: by id and by the wrong section redirect to the one URL; unknown, draft, bulletin and foreign items are the portal 404', async () => {
      const release = (await app.services.newsroom.publicGet(editor.tenantId, 'uusi-paivakoti-satakieli-avautuu'))!;
      let r = await get(`/fi/press/${release.id}`);
      expect(r.status).toBe(301);
      expect(r.headers.get('location')).toBe('/fi/press/uusi-paivakoti-satakieli-avautuu');
      r = await get('/fi/news/uusi-paivakoti-satakieli-avautuu');
      expect(r.status).toBe(301);
      expect(r.headers.get('location')).toBe('/fi/press/uusi-paivakoti-satakieli-avautuu');
      r = await get('/fi/press/talvikunnossapito-kaynnistyy');
      expect(r.headers.get('location')).toBe('/fi/news/talvikunnossapito-kaynnistyy');
      const permalink = await page('/fi/press/uusi-paivakoti-satakieli-avautuu');
      expect(permalink).toContain('Esimerkkilään uusi päiväkoti: Satakieli avautuu tammikuussa');
      expect(permalink).toContain('href="/feeds/fi/press.rss"');
      expect(permalink).toMatch(/aria-label="Murupolku".*href="\/fi\/press">Mediahuone/s);

      const draft = await create({ kind: 'news', title: { fi: 'Keskeneräinen' } });
      const bulletin = (await app.services.db.query<{ slug: string }>(`select slug from news_items where kind = 'bulletin' limit 1`)).rows[0].slug;
      for (const path of ['/fi/news/ei-tallaista', `/fi/news/${draft.slug}`, `/fi/news/${draft.id}`, `/fi/news/${bulletin}`, '/fi/press/ei-tallaista', '/de/news']) {
        const html = await page(path, 404);
        if (!path.startsWith('/de')) {
          expect(html, path).toContain('class="site-header"'); // inside the portal shell
          expect(html, path).toContain('<h1>Sivua ei löytynyt</h1>');
        }
      }
      // Another tenant's slug is not found on this tenant, and vice versa.
      expect((await hostFetch(app, HOST_B)('/fi/news/talvikunnossapito-kaynnistyy', { headers: anon })).status).toBe(404);
    });

    it('press room: a Finnish inflected word finds the release, filters by topic, date and language, contacts and links', async () => {
      const html = await page('/fi/press');
      expect(html).toContain('<h1>Mediahuone</h1>');
      expect(html).toContain('href="/fi/press/images"');
      expect(html).toContain('href="/fi/press/subscribe"');
      expect(html).toContain('href="/feeds/fi/press.rss"');
      expect(html).toContain('Tiina Tiedottaja');
      expect(html).toContain('href="tel:+358401234567"');
      expect(html).toContain('href="mailto:viestinta@esimerkkila.fi"');
      expect(html).toContain('Viestintäjohtaja');
      expect(html).not.toContain('talvikunnossapito-kaynnistyy'); // news are not press releases

      // "päiväkodin" (genitive; the stem differs by consonant gradation) finds "päiväkoti".
      let found = await page(`/fi/press?q=${encodeURIComponent('päiväkodin')}`);
      expect(found).toContain('1 tiedote');
      expect(found).toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      found = await page(`/fi/press?q=${encodeURIComponent('talousarvion')}`);
      expect(found).toContain('href="/fi/press/talousarvio-2027-hyvaksyttiin"');
      expect(found).not.toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      // Prefix: a word being typed.
      expect(await page(`/fi/press?q=${encodeURIComponent('valtuus')}`)).toContain('talousarvio-2027-hyvaksyttiin');
      expect(await page(`/fi/press?q=${encodeURIComponent('olematonsana')}`)).toContain('Hakuehdoilla ei löytynyt tiedotteita.');
      // Topic.
      const topic = await page('/fi/press?topic=paatoksenteko');
      expect(topic).toContain('talousarvio-2027-hyvaksyttiin');
      expect(topic).not.toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      // Dates (Helsinki days, inclusive): the budget release is 12 days old, the daycare one 5.
      const day = (daysAgo: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Helsinki' }).format(new Date(Date.now() - daysAgo * 86_400_000));
      const recent = await page(`/fi/press?from=${day(8)}`);
      expect(recent).toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      expect(recent).not.toContain('href="/fi/press/talousarvio-2027-hyvaksyttiin"');
      const old = await page(`/fi/press?from=${day(13)}&to=${day(10)}`);
      expect(old).toContain('href="/fi/press/talousarvio-2027-hyvaksyttiin"');
      expect(old).not.toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      const bad = await page('/fi/press?from=2026-02-31');
      expect(bad).toContain('Päivämäärä ei kelpaa');
      expect(bad).toContain('aria-invalid="true"');
      // Language: a release that exists only in Swedish is listed when Swedish is chosen, in Swedish, linked on the Finnish site.
      const svOnly = await publish(await create({ kind: 'press_release', title: { sv: 'Endast på svenska: nytt bibliotek' }, lead: { sv: 'Biblioteket öppnar.' } }));
      expect(await page('/fi/press')).not.toContain('Endast på svenska');
      const svList = await page('/fi/press?language=sv');
      expect(svList).toContain(`<a href="/fi/press/${svOnly.slug}" lang="sv">Endast på svenska: nytt bibliotek</a>`);
      // Swedish search with Swedish stemming.
      expect(await page(`/sv/press?q=${encodeURIComponent('biblioteket')}`)).toContain('Endast på svenska');
    });

    it('image bank: thumbnails with alt, caption, credit, license and a download link for the original', async () => {
      const html = await page('/fi/press/images');
      expect(html).toContain('<h1>Kuvapankki</h1>');
      expect(html).toContain('alt="Punatiilinen kaupungintalo ja sen edessä puisto kesällä."');
      expect(html).toContain('Esimerkkilän kaupungintalo.');
      expect(html).toContain('Kuva: Esimerkkilän kaupunki / Viestintä');
      expect(html).toContain('Lisenssi: CC BY 4.0');
      const link = /href="(\/news-media\/[^"]+\/kaupungintalo\.png)\?download=1" download="kaupungintalo\.png"/.exec(html);
      expect(link).not.toBeNull();
      const file = await get(`${link![1]}?download=1`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-disposition')).toContain('attachment');
      expect(Buffer.from(await file.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
      expect(await page('/sv/press/images')).toContain('alt="Det röda stadshuset i tegel och parken framför det på sommaren."');
    });

    it('service page: "News about this service" lists the items that name the service', async () => {
      const service = (
        await app.services.db.query<{ id: string }>(`select id from catalog_services where external_id = 'ee42ea4a-3841-4ecf-b30d-95bc433ac2f0'`)
      ).rows[0];
      const html = await page(`/fi/services/${service.id}`);
      expect(html).toContain('<h2 id="service-news-title">Uutisia tästä palvelusta</h2>');
      expect(html).toContain('href="/fi/press/uusi-paivakoti-satakieli-avautuu"');
      // A service without news has no such section.
      const other = (await app.services.db.query<{ id: string }>(`select id from catalog_services where status = 'published' and not (id = any(select unnest(service_ids) from news_items)) limit 1`)).rows[0];
      expect(await page(`/fi/services/${other.id}`)).not.toContain('service-news-title');
    });

    it('cached anonymous pages follow a publish and an archive at once (content version)', async () => {
      const before = await get('/fi/news');
      const etag = before.headers.get('etag')!;
      expect(etag).toBeTruthy();
      await before.text();
      expect((await hostFetch(app, HOST_A)('/fi/news', { headers: { ...anon, 'if-none-match': etag } })).status).toBe(304);
      const front = await page('/fi');
      expect(front).toContain('Uusimmat uutiset');
      const item = await publish(await create({ kind: 'news', title: { fi: 'Heti näkyvä uutinen' }, topics: ['hairiot'] }));
      const after = await hostFetch(app, HOST_A)('/fi/news', { headers: { ...anon, 'if-none-match': etag } });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('Heti näkyvä uutinen');
      expect(await page('/fi')).toContain('Heti näkyvä uutinen');
      // A correction shows at once too.
      const fresh = (await app.services.newsroom.load(editor.tenantId, item.id))!;
      expect((await editor.api('PATCH', `/api/v1/news/items/${item.id}`, { title: { fi: 'Korjattu otsikko' }, updatedAt: fresh.updatedAt })).status).toBe(200);
      expect(await page('/fi/news')).toContain('Korjattu otsikko');
      expect((await editor.api('POST', `/api/v1/news/items/${item.id}/transitions`, { action: 'archive' })).status).toBe(200);
      expect(await page('/fi/news')).not.toContain('Korjattu otsikko');
      await page(`/fi/news/${item.slug}`, 404);
    });

    it('console image bank: upload with alt (required), edit, remove; the public bank follows; other roles get 403', async () => {
      const f = hostFetch(app, HOST_A);
      const multipart = async (fields: Record<string, string>, file?: { name: string; data: Buffer; type: string }) => {
        const form = new FormData();
        form.set('_csrf', editor.csrf);
        for (const [k, v] of Object.entries(fields)) form.set(k, v);
        if (file) form.set('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
        const req = new Request('http://x/', { method: 'POST', body: form });
        return f('/fi/staff/news/images', { method: 'POST', headers: { cookie: editor.cookie, 'content-type': req.headers.get('content-type')! }, body: Buffer.from(await req.arrayBuffer()) });
      };
      const staffPage = await editor.get('/fi/staff/news/images');
      expect(staffPage.status).toBe(200);
      expect(await staffPage.text()).toContain('<h1>Kuvapankki</h1>');
      expect((await agent.get('/fi/staff/news/images')).status).toBe(403);
      expect((await agent.get('/fi/staff/news/press-contacts')).status).toBe(403);
      expect((await hostFetch(app, HOST_A)('/fi/staff/news/images')).status).toBe(302);

      const png = drawScene('hall', 64, 40);
      // Without alt text: the form comes back with the error, nothing stored.
      let r = await multipart({ intent: 'upload', credit: 'Testikuvaaja' }, { name: 'testi.png', data: png, type: 'image/png' });
      expect(r.status).toBe(400);
      const failed = await r.text();
      expect(failed).toContain('Kirjoita vaihtoehtoinen teksti ainakin yhdellä kielellä.');
      expect(failed).toContain('value="Testikuvaaja"');
      // Not an image.
      r = await multipart({ intent: 'upload', altFi: 'Teksti' }, { name: 'x.txt', data: Buffer.from('hello'), type: 'text/plain' });
      expect(r.status).toBe(415);
      // With alt: stored, audited, shown in the public bank at once.
      r = await multipart(
        { intent: 'upload', altFi: 'Pieni testikuva kaupungintalosta', altSv: 'En liten testbild', captionFi: 'Testikuvateksti', credit: 'Testikuvaaja', license: 'CC0' },
        { name: 'testi.png', data: png, type: 'image/png' },
      );
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/fi/staff/news/images?notice=added');
      const bank = await app.services.newsroom.imageBank(editor.tenantId);
      const added = bank.find((m) => m.filename === 'testi.png')!;
      expect(added).toMatchObject({ alt: { fi: 'Pieni testikuva kaupungintalosta', sv: 'En liten testbild' }, credit: 'Testikuvaaja', license: 'CC0', itemId: null, inImageBank: true });
      expect(await page('/fi/press/images')).toContain('alt="Pieni testikuva kaupungintalosta"');
      const audit = await app.services.db.query<{ action: string }>(`select action from audit_log where target_id = $1`, [added.id]);
      expect(audit.rows.map((a) => a.action)).toContain('news.media.add');

      // Edit: the form is filled; the change shows publicly.
      expect(await (await editor.get(`/fi/staff/news/images?edit=${added.id}`)).text()).toContain('value="Testikuvateksti"');
      r = await editor.post('/fi/staff/news/images', { intent: 'update', id: added.id, altFi: 'Uusi vaihtoehtoinen teksti', captionFi: '', credit: 'Toinen kuvaaja', license: 'CC BY 4.0' });
      expect(r.status).toBe(302);
      const publicBank = await page('/fi/press/images');
      expect(publicBank).toContain('alt="Uusi vaihtoehtoinen teksti"');
      expect(publicBank).toContain('Kuva: Toinen kuvaaja');
      r = await editor.post('/fi/staff/news/images', { intent: 'update', id: added.id, altFi: '', altSv: '', altEn: '' });
      expect(r.status).toBe(400);
      // Another tenant's id is 404.
      const adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await adminB.post('/fi/staff/news/images', { intent: 'remove', id: added.id })).status).toBe(404);
      // Remove.
      r = await editor.post('/fi/staff/news/images', { intent: 'remove', id: added.id });
      expect(r.status).toBe(302);
      expect(await page('/fi/press/images')).not.toContain('Uusi vaihtoehtoinen teksti');
      expect((await get(added.url)).status).toBe(404);
    });

    it('console press contacts: add, validate, edit, reorder, remove; the press room follows', async () => {
      const path = '/fi/staff/news/press-contacts';
      const list = await (await editor.get(path)).text();
      expect(list).toContain('<h1>Mediayhteyshenkilöt</h1>');
      expect(list).toContain('Kerttu Katu');
      let r = await editor.post(path, { intent: 'create', name: 'Pekka Puhemies', titleFi: 'Puhemies', phone: 'ei numero', email: 'ei-osoite', topics: ['kulttuuri'] });
      expect(r.status).toBe(400);
      const failed = await r.text();
      expect(failed).toContain('Puhelinnumero ei kelpaa.');
      expect(failed).toContain('Sähköpostiosoite ei kelpaa.');
      expect(failed).toContain('value="Pekka Puhemies"');
      expect((await editor.post(path, { intent: 'create', name: 'X', topics: ['ei-aihe'] })).status).toBe(400);
      r = await editor.post(path, { intent: 'create', name: 'Pekka Puhemies', titleFi: 'Puhemies', titleSv: 'Talesman', phone: '+358 9 123 456', email: 'pekka@esimerkkila.fi', topics: ['kulttuuri', 'paatoksenteko'] });
      expect(r.status).toBe(302);
      let contacts = await app.services.pressContacts.list(editor.tenantId);
      const pekka = contacts.find((c) => c.name === 'Pekka Puhemies')!;
      expect(pekka).toMatchObject({ title: { fi: 'Puhemies', sv: 'Talesman' }, phone: '+358 9 123 456', topics: ['kulttuuri', 'paatoksenteko'] });
      expect(contacts[contacts.length - 1].id).toBe(pekka.id);
      let press = await page('/fi/press');
      expect(press).toContain('Pekka Puhemies');
      expect(press.indexOf('Kerttu Katu')).toBeLessThan(press.indexOf('Pekka Puhemies'));
      expect(await page('/sv/press')).toContain('Talesman');

      // Move up: now before Kerttu on the press room page.
      expect((await editor.post(path, { intent: 'up', id: pekka.id })).status).toBe(302);
      press = await page('/fi/press');
      expect(press.indexOf('Pekka Puhemies')).toBeLessThan(press.indexOf('Kerttu Katu'));
      contacts = await app.services.pressContacts.list(editor.tenantId);
      expect(contacts.map((c) => c.position)).toEqual(contacts.map((_, i) => i));

      // Edit through ?edit=: the form is filled.
      expect(await (await editor.get(`${path}?edit=${pekka.id}`)).text()).toContain('value="pekka@esimerkkila.fi"');
      expect((await editor.post(path, { intent: 'update', id: pekka.id, name: 'Pekka P. Puhemies', email: 'pekka@esimerkkila.fi' })).status).toBe(302);
      expect(await page('/fi/press')).toContain('Pekka P. Puhemies');
      // Customer service may not; another tenant's id is 404.
      expect((await agent.post(path, { intent: 'remove', id: pekka.id })).status).toBe(403);
      const adminB = await staffClient(app, HOST_B, 'admin@jarvikyla.fi');
      expect((await adminB.post(path, { intent: 'remove', id: pekka.id })).status).toBe(404);
      expect((await editor.post(path, { intent: 'remove', id: pekka.id })).status).toBe(302);
      expect(await page('/fi/press')).not.toContain('Pekka P. Puhemies');
      const audit = await app.services.db.query<{ action: string }>(`select action from audit_log where target_id = $1 order by at`, [pekka.id]);
      expect(audit.rows.map((a) => a.action)).toEqual(['news.press_contact.create', 'news.press_contact.move', 'news.press_contact.update', 'news.press_contact.remove']);
    });
  });
}
