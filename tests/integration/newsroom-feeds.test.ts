import { DOMParser } from '@xmldom/xmldom';
import { parseFeed } from '@rowanmanning/feed-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewsItem } from '../../src/modules/newsroom/model.ts';
import { ManualClock } from '../../src/platform/clock.ts';
import { engines } from '../helpers/engines.ts';
import { HOST_A, HOST_B, hostFetch, startTestApp, type TestApp } from '../helpers/app.ts';
import { newsroomWriter } from '../helpers/newsroom.ts';
import { staffClient } from '../helpers/staff-session.ts';

/*
 * The newsroom's feeds on both engines: RSS 2.0, Atom 1.0 and JSON Feed 1.1 read by an
 * independent parser (@rowanmanning/feed-parser for the XML formats) and checked for the
 * elements each spec requires, straight from a strict XML DOM; filters by topic, kind and
 * language; caching (ETag, Last-Modified, 304); a publish shows at once; drafts, staff
 * bulletins and releases still under embargo never appear.
 */

const HOUR = 3_600_000;
const ATOM = 'http://www.w3.org/2005/Atom';
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Strict XML: any well-formedness error fails the test. */
function xml(text: string) {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(text, 'text/xml');
  expect(errors, 'XML well-formedness').toEqual([]);
  return doc;
}

const childText = (el: Element, name: string, ns?: string) => {
  const list = ns ? el.getElementsByTagNameNS(ns, name) : el.getElementsByTagName(name);
  return list[0]?.textContent ?? null;
};

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  language: string;
  items: { id: string; url: string; title: string; content_html: string; summary?: string; date_published: string; date_modified: string; image?: string; attachments?: { url: string; mime_type: string; size_in_bytes: number }[]; tags?: string[] }[];
}

for (const engine of engines()) {
  describe.skipIf(!engine.available)(`newsroom feeds (${engine.name})`, () => {
    let app: TestApp;
    const clock = new ManualClock();
    let editor: Awaited<ReturnType<typeof staffClient>>;
    let publisher: Awaited<ReturnType<typeof staffClient>>;
    let get: ReturnType<typeof hostFetch>;
    let origin: string;

    beforeAll(async () => {
      app = await startTestApp(engine.name, { clock, work: true });
      editor = await staffClient(app, HOST_A, 'viestinta@esimerkkila.fi');
      publisher = await staffClient(app, HOST_A, 'julkaisija@esimerkkila.fi');
      get = hostFetch(app, HOST_A);
      // hostFetch sends the bare host name: that is the origin the feeds see.
      origin = `http://${HOST_A}`;
    }, 120_000);
    afterAll(() => app?.close());

    const writer = () => newsroomWriter(editor, publisher);
    const create = (body: Record<string, unknown>) => writer().create(body);
    const publish = (item: NewsItem) => writer().publish(item);
    const text = async (path: string) => {
      const r = await get(path);
      expect(r.status, `${path}: ${await r.clone().text()}`).toBe(200);
      return { r, body: await r.text() };
    };

    it('RSS 2.0: parsed by an independent parser, with the elements the spec requires', async () => {
      const { r, body } = await text('/feeds/fi/news.rss');
      expect(r.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      expect(r.headers.get('set-cookie')).toBeNull();
      const feed = parseFeed(body);
      expect(feed.meta.type).toBe('rss');
      expect(feed.title).toMatch(/^Uutiset – Esimerkkilä/);
      expect(feed.language).toBe('fi');
      expect(feed.self).toBe(`${origin}/feeds/fi/news.rss`);
      const titles = feed.items.map((i) => i.title);
      expect(titles).toEqual(expect.arrayContaining(['Talvikunnossapito käynnistyy', 'Joulutori kaupungintalon pihalla', 'Kaupunginvaltuusto hyväksyi vuoden 2027 talousarvion']));
      expect(titles).not.toContain('Tietoturvakoulutus on pakollinen kaikille'); // the staff bulletin
      const winter = feed.items.find((i) => i.title === 'Talvikunnossapito käynnistyy')!;
      expect(winter.url).toBe(`${origin}/fi/news/talvikunnossapito-kaynnistyy`);
      expect(winter.id).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      expect(winter.content).toContain('<p>Kaupunki vastaa katujen talvikunnossapidosta.');
      expect(winter.categories.map((c) => c.label)).toContain('Liikenne ja kadut');
      // The first image as the enclosure, at an absolute URL that serves it.
      expect(winter.media[0]).toMatchObject({ type: 'image', mimeType: 'image/png' });
      expect(winter.media[0].url.startsWith(`${origin}/news-media/`)).toBe(true);
      const img = await get(winter.media[0].url.slice(origin.length));
      expect(img.status).toBe(200);
      expect(Number(winter.media[0].length)).toBe((await img.arrayBuffer()).byteLength);
      const release = feed.items.find((i) => i.title?.startsWith('Esimerkkilään uusi päiväkoti'))!;
      expect(release.url).toBe(`${origin}/fi/press/uusi-paivakoti-satakieli-avautuu`);

      // Straight from the XML: channel title/link/description, item guid/pubDate in RFC 822.
      const doc = xml(body);
      const channel = doc.getElementsByTagName('channel')[0];
      expect(doc.documentElement.getAttribute('version')).toBe('2.0');
      for (const name of ['title', 'link', 'description']) expect(childText(channel, name)).toBeTruthy();
      expect(childText(channel, 'link')).toBe(`${origin}/fi/news`);
      expect(childText(channel, 'lastBuildDate')).toMatch(RFC822);
      const self = channel.getElementsByTagNameNS(ATOM, 'link')[0];
      expect(self.getAttribute('rel')).toBe('self');
      expect(self.getAttribute('href')).toBe(`${origin}/feeds/fi/news.rss`);
      const items = Array.from(doc.getElementsByTagName('item'));
      expect(items.length).toBe(feed.items.length);
      const guids = new Set<string>();
      for (const item of items) {
        const guid = item.getElementsByTagName('guid')[0];
        expect(guid.getAttribute('isPermaLink')).toBe('false');
        guids.add(guid.textContent!);
        expect(childText(item, 'pubDate')).toMatch(RFC822);
        expect(childText(item, 'title')).toBeTruthy();
        expect(childText(item, 'link')!.startsWith(`${origin}/fi/`)).toBe(true);
      }
      expect(guids.size).toBe(items.length);
      // Newest first.
      const dates = items.map((i) => Date.parse(childText(i, 'pubDate')!));
      expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    });

    it('Atom 1.0 (RFC 4287): feed id/title/updated/self link/author, entry id/title/updated, xml:lang', async () => {
      const { r, body } = await text('/feeds/sv/news.atom');
      expect(r.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const feed = parseFeed(body);
      expect(feed.meta.type).toBe('atom');
      expect(feed.title).toMatch(/^Nyheter – /);
      expect(feed.items.map((i) => i.title)).toContain('Vinterunderhållet inleds');
      const winter = feed.items.find((i) => i.title === 'Vinterunderhållet inleds')!;
      expect(winter.url).toBe(`${origin}/sv/news/talvikunnossapito-kaynnistyy`);
      expect(winter.content).toContain('<p>Staden ansvarar');
      expect(winter.description).toContain('Plogningsmaskinerna är redo.');

      const doc = xml(body);
      const root = doc.documentElement;
      expect(root.namespaceURI).toBe(ATOM);
      expect(root.localName).toBe('feed');
      expect(root.getAttribute('xml:lang')).toBe('sv');
      const direct = (el: Element, name: string) => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === 1 && (n as Element).localName === name);
      expect(direct(root, 'id')[0].textContent).toBeTruthy();
      expect(direct(root, 'title')[0].textContent).toMatch(/^Nyheter/);
      expect(direct(root, 'updated')[0].textContent).toMatch(RFC3339);
      expect(direct(root, 'author')[0].getElementsByTagNameNS(ATOM, 'name')[0].textContent).toBeTruthy();
      const self = direct(root, 'link').find((l) => l.getAttribute('rel') === 'self')!;
      expect(self.getAttribute('href')).toBe(`${origin}/feeds/sv/news.atom`);
      const entries = direct(root, 'entry');
      expect(entries.length).toBeGreaterThanOrEqual(3);
      const ids = new Set<string>();
      for (const e of entries) {
        const id = direct(e, 'id')[0].textContent!;
        expect(id).toMatch(/^urn:uuid:/);
        ids.add(id);
        expect(direct(e, 'title')[0].textContent).toBeTruthy();
        expect(direct(e, 'updated')[0].textContent).toMatch(RFC3339);
        expect(direct(e, 'published')[0].textContent).toMatch(RFC3339);
        expect(direct(e, 'content')[0].getAttribute('type')).toBe('html');
        expect(direct(e, 'link').find((l) => l.getAttribute('rel') === 'alternate')!.getAttribute('href')!.startsWith(`${origin}/sv/`)).toBe(true);
      }
      expect(ids.size).toBe(entries.length);
      // The feed's updated is its newest entry's.
      const newest = entries.map((e) => direct(e, 'updated')[0].textContent!).sort().pop();
      expect(direct(root, 'updated')[0].textContent).toBe(newest);
      // The same item has the same id in every format and language.
      const rss = parseFeed((await text('/feeds/fi/news.rss')).body);
      expect(rss.items.find((i) => i.url?.endsWith('/talvikunnossapito-kaynnistyy'))!.id).toBe(winter.id);
    });

    it('JSON Feed 1.1: version, title, feed_url, items with id, url, content_html and dates', async () => {
      const { r, body } = await text('/feeds/en/news.json');
      expect(r.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      const feed = JSON.parse(body) as JsonFeed;
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.title).toMatch(/^News – /);
      expect(feed.feed_url).toBe(`${origin}/feeds/en/news.json`);
      expect(feed.home_page_url).toBe(`${origin}/en/news`);
      expect(feed.language).toBe('en');
      expect(feed.items.length).toBeGreaterThanOrEqual(3);
      expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
      for (const item of feed.items) {
        expect(item.id).toMatch(/^urn:uuid:/);
        expect(item.url.startsWith(`${origin}/en/`)).toBe(true);
        expect(typeof item.content_html).toBe('string');
        expect(item.date_published).toMatch(RFC3339);
        expect(item.date_modified).toMatch(RFC3339);
      }
      const winter = feed.items.find((i) => i.title === 'Winter maintenance begins')!;
      expect(winter.image).toMatch(new RegExp(`^${origin}/news-media/`));
      expect(winter.attachments![0]).toMatchObject({ mime_type: 'image/png' });
      expect(winter.tags).toContain('Traffic and streets');
      // The event notice carries its time and place in the content.
      const event = feed.items.find((i) => i.title === 'Christmas market at the city hall')!;
      expect(event.content_html).toContain('Location: Kaupungintalontie 1');
    });

    it('filters: topic, kind and the press feed; unknown topic and bad language are 404 in the error shape; a bad kind is 400', async () => {
      const traffic = parseFeed((await text('/feeds/fi/news.rss?topic=liikenne')).body);
      expect(traffic.items.map((i) => i.title)).toEqual(['Talvikunnossapito käynnistyy']);
      expect(traffic.title).toContain('Liikenne ja kadut');
      expect(traffic.self).toBe(`${origin}/feeds/fi/news.rss?topic=liikenne`);
      const events = JSON.parse((await text('/feeds/fi/news.json?kind=event')).body) as JsonFeed;
      expect(events.items.map((i) => i.title)).toEqual(['Joulutori kaupungintalon pihalla']);
      const press = parseFeed((await text('/feeds/fi/press.atom')).body);
      expect(press.title).toMatch(/^Tiedotteet/);
      expect(press.items.length).toBeGreaterThanOrEqual(2);
      for (const i of press.items) expect(i.url).toMatch(new RegExp(`^${origin}/fi/press/`));
      const pressTopic = parseFeed((await text('/feeds/fi/press.rss?topic=varhaiskasvatus')).body);
      expect(pressTopic.items.map((i) => i.url)).toEqual([`${origin}/fi/press/uusi-paivakoti-satakieli-avautuu`]);

      for (const path of ['/feeds/fi/news.rss?topic=no-such-topic', '/feeds/de/news.rss', '/feeds/xx/press.json']) {
        const r = await get(path);
        expect(r.status, path).toBe(404);
        expect(await r.json()).toMatchObject({ error: { code: 'not_found' } });
      }
      // Järvikylä is Finnish only; its feeds are its own (no Esimerkkilä items).
      expect((await hostFetch(app, HOST_B)('/feeds/sv/news.rss')).status).toBe(404);
      const other = parseFeed(await (await hostFetch(app, HOST_B)('/feeds/fi/news.rss')).text());
      expect(other.items).toEqual([]);
      for (const path of ['/feeds/fi/news.rss?kind=bulletin', '/feeds/fi/press.json?kind=news']) {
        const r = await get(path);
        expect(r.status, path).toBe(400);
        expect(await r.json()).toMatchObject({ error: { code: 'validation_failed' } });
      }
    });

    it('caching: public max-age, ETag and Last-Modified; If-None-Match and If-Modified-Since give 304', async () => {
      const r = await get('/feeds/fi/news.atom');
      expect(r.headers.get('cache-control')).toBe('public, max-age=300');
      const etag = r.headers.get('etag')!;
      const lastModified = r.headers.get('last-modified')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(lastModified).toMatch(RFC822);
      const again = await get('/feeds/fi/news.atom', { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect((await get('/feeds/fi/news.atom', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
      expect((await get('/feeds/fi/news.atom', { headers: { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status).toBe(200);
      // A stale ETag wins over a fresh date: the representation is compared first.
      expect((await get('/feeds/fi/news.atom', { headers: { 'if-none-match': '"old"', 'if-modified-since': lastModified } })).status).toBe(200);
      // Each format and filter has its own tag.
      expect((await get('/feeds/fi/news.rss')).headers.get('etag')).not.toBe(etag);
    });

    it('a publish shows at once; drafts, staff bulletins and embargoed releases never appear until public', async () => {
      const before = await get('/feeds/fi/news.rss');
      const etag = before.headers.get('etag')!;
      const draft = await create({ kind: 'news', title: { fi: 'Luonnos ei näy' }, topics: ['liikenne'] });
      const bulletin = await publish(await create({ kind: 'bulletin', title: { fi: 'Henkilöstön sisäinen tiedote' } }));
      expect(bulletin.state).toBe('published');
      const embargoAt = new Date(clock.now().getTime() + 2 * HOUR);
      const embargoed = await publish(await create({ kind: 'press_release', title: { fi: 'Embargoitu tiedote syötteeseen' }, embargoUntil: embargoAt.toISOString() }));
      expect(embargoed.state).toBe('scheduled');
      for (const path of ['/feeds/fi/news.rss', '/feeds/fi/press.rss', '/feeds/fi/news.json']) {
        const body = (await text(path)).body;
        for (const title of ['Luonnos ei näy', 'Henkilöstön sisäinen tiedote', 'Embargoitu tiedote syötteeseen']) expect(body, `${path} ${title}`).not.toContain(title);
      }
      expect(draft.state).toBe('draft');

      // Publish: the same If-None-Match now gets the new feed, with the item first.
      const fresh = await publish(
        await create({
          kind: 'news',
          title: { fi: 'Uusi <tiedote> & "lainaus"' },
          lead: { fi: 'Ingressi <b>ei ole</b> HTML:ää.' },
          body: { fi: '<p>Rungossa on <strong>lihavointi</strong> ja <a href="https://example.org/?a=1&b=2">linkki</a>.</p>' },
          topics: ['liikenne'],
        }),
      );
      const after = await get('/feeds/fi/news.rss', { headers: { 'if-none-match': etag } });
      expect(after.status).toBe(200);
      const feed = parseFeed(await after.text());
      expect(feed.items[0].id).toBe(`urn:uuid:${fresh.id}`);
      // Plain text stays text; the body's HTML arrives as HTML.
      expect(feed.items[0].title).toBe('Uusi <tiedote> & "lainaus"');
      expect(feed.items[0].content).toContain('<strong>lihavointi</strong>');
      expect(feed.items[0].content).toContain('href="https://example.org/?a=1&b=2"');
      const atom = parseFeed((await text('/feeds/fi/news.atom?topic=liikenne')).body);
      expect(atom.items[0].title).toBe('Uusi <tiedote> & "lainaus"');
      expect(atom.items[0].description).toBe('Ingressi <b>ei ole</b> HTML:ää.');
      const json = JSON.parse((await text('/feeds/fi/news.json')).body) as JsonFeed;
      expect(json.items[0]).toMatchObject({ id: `urn:uuid:${fresh.id}`, title: 'Uusi <tiedote> & "lainaus"', summary: 'Ingressi <b>ei ole</b> HTML:ää.' });

      // The embargo lapses (application clock): the release job publishes it into the press feed.
      clock.set(new Date(embargoAt.getTime() + 60_000));
      await app.services.jobs.enqueue(app.services.db, 'newsroom.release', { tenantId: 'system' });
      await expect.poll(async () => (await text('/feeds/fi/press.rss')).body, { timeout: 20_000 }).toContain('Embargoitu tiedote syötteeseen');
      const press = parseFeed((await text('/feeds/fi/press.rss')).body);
      expect(press.items[0].id).toBe(`urn:uuid:${embargoed.id}`);
      // RFC 822 carries whole seconds.
      expect(press.items[0].published?.getTime()).toBe(Math.floor(Date.parse(embargoed.embargoUntil!) / 1000) * 1000);
      clock.set(new Date());

      // Archived: gone from the feeds.
      expect((await editor.api('POST', `/api/v1/news/items/${fresh.id}/transitions`, { action: 'archive' })).status).toBe(200);
      expect((await text('/feeds/fi/news.rss')).body).not.toContain(fresh.id);
    });
  });
}
