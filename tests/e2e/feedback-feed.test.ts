import { createServer, type Server } from 'node:http';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Actor } from '../../src/modules/identity/actor.ts';
import type { SubmissionInput } from '../../src/modules/feedback/model.ts';
import {
  describeE2E,
  expectAccessible,
  expectNoBrowserErrors,
  expectNoHorizontalScroll,
  focused,
  HOST_A,
  HOST_B,
  screenshot,
  startE2E,
  visit,
  type E2E,
} from './harness.ts';

/**
 * The public feedback feed in real Chromium: the feed page in fi, sv and en, the switch to
 * the map view and back with the keyboard alone, the map's markers and the list under it
 * holding the same items, the case page, everything with JavaScript off, 320 px without
 * sideways scrolling, axe on every page.
 *
 * Map tiles come from a tile server on 127.0.0.1 started here (a grey square for every
 * tile), and every request the browser tries outside this machine is refused and fails
 * the test: no test ever fetches real map tiles.
 */

// A 1×1 grey PNG; Leaflet stretches it to a 256 px tile.
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ANON: Actor = { kind: 'anonymous' };

describeE2E('public feedback feed in Chromium (list and map, keyboard, 320 px, no JS, axe)', () => {
  let e2e: E2E;
  let tiles: Server;
  let tileRequests = 0;
  const outside: string[] = [];
  const num: Record<string, number> = {};

  beforeAll(async () => {
    tiles = createServer((_req, res) => {
      tileRequests++;
      res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'max-age=3600' });
      res.end(TILE);
    });
    await new Promise<void>((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    const tilePort = (tiles.address() as { port: number }).port;
    e2e = await startE2E({ env: { MAP_TILE_URL: `http://127.0.0.1:${tilePort}/{z}/{x}/{y}.png`, MAP_ATTRIBUTION: 'Testilaatat' } });
    const db = e2e.app.services.db;
    const t = await db.query<{ id: string; slug: string }>('select id, slug from tenants');
    const tenantA = t.rows.find((r) => r.slug === 'esimerkkila')!.id;
    const tenantB = t.rows.find((r) => r.slug === 'jarvikyla')!.id;
    const make = async (key: string, tenantId: string, input: Partial<SubmissionInput> & { categoryCode: string }, pub: string, answer: string | null, at: string) => {
      const r = await e2e.app.services.feedback.submit(
        ANON,
        tenantId,
        { description: `Alkuperäinen ${key} ${Math.random()}`, lang: 'fi', contactEmail: 'e2e.asukas@example.com', ...input },
        { channel: 'open311', origin: 'http://esimerkkila.localhost' },
      );
      num[key] = r.number;
      await db.transaction(async (tx) => {
        await tx.query(
          `update feedback_cases set publication = 'published', public_description = $3, public_answer = $4, published_at = $5 where tenant_id = $1 and id = $2`,
          [tenantId, r.caseId, pub, answer, at],
        );
        await e2e.app.services.contentVersions.bump(tx, tenantId);
      });
    };
    await make('pothole', tenantA, { categoryCode: 'pothole', lat: 61.4981, lon: 23.7608, address: 'Hämeenkatu 10' }, 'Syvä kuoppa pyörätiellä Hämeenkadun ja Kuninkaankadun kulmassa.', 'Kuoppa paikattiin 3.11. Kiitos ilmoituksesta!', '2026-11-01T10:00:00Z');
    await make('praise', tenantA, { categoryCode: 'praise' }, 'Kiitos kirjaston henkilökunnalle avuliaisuudesta! <script>alert(1)</script>', null, '2026-11-02T10:00:00Z');
    await make('light', tenantA, { categoryCode: 'street-light', lat: 61.5012, lon: 23.7702, address: 'Satakunnankatu 5' }, 'Kolme katuvaloa pimeänä Satakunnankadulla.', 'Valot vaihdetaan viikolla 46.', '2026-11-03T10:00:00Z');
    await e2e.app.services.db.query(`update feedback_cases set status = 'resolved' where tenant_id = $1 and number = $2`, [tenantA, num.pothole]);
    await make('b', tenantB, { categoryCode: 'street', lat: 62.0, lon: 25.0, address: 'Kylätie 1' }, 'Järvikylän kuoppa kylätiellä.', null, '2026-11-04T10:00:00Z');
  }, 180_000);

  afterAll(async () => {
    await e2e?.close();
    await new Promise((resolve) => tiles?.close(resolve));
  });

  /** A page whose every request to anywhere but this machine is refused and remembered. */
  async function localPage(opts: Parameters<E2E['page']>[0] = {}): Promise<Page> {
    const page = await e2e.page(opts);
    await page.context().route(
      (url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && !url.hostname.endsWith('.localhost'),
      (route) => {
        outside.push(route.request().url());
        return route.abort();
      },
    );
    return page;
  }

  const feedItems = (page: Page) => page.locator('ol.feedback-list > li.feedback-item');

  test('the feed page in fi, sv and en: give feedback, published items newest first, RSS in the head', async () => {
    const page = await localPage();
    // Reached from every portal page's footer.
    await visit(page, `${e2e.origin()}/sv`);
    await page.getByRole('contentinfo').getByRole('link', { name: 'Respons och svar' }).click();
    await page.waitForURL(`${e2e.origin()}/sv/feedback`);
    for (const [lang, h1, give, category, rss] of [
      ['fi', 'Palautteet', 'Anna palautetta', 'Katuvaurio tai kuoppa', 'Palautteet ja vastaukset (RSS)'],
      ['sv', 'Respons', 'Ge respons', 'Gatuskada eller grop', 'Respons och svar (RSS)'],
      ['en', 'Feedback', 'Give feedback', 'Pothole or street damage', 'Feedback and answers (RSS)'],
    ] as const) {
      await visit(page, `${e2e.origin()}/${lang}/feedback`);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(h1);
      expect(await page.locator('main').getByRole('link', { name: give }).getAttribute('href')).toBe(`/${lang}/feedback/new`);
      expect(await feedItems(page).count()).toBe(3);
      // Newest first.
      expect(await feedItems(page).first().locator('h3 a').getAttribute('href')).toBe(`/${lang}/feedback/${num.light}`);
      expect(await feedItems(page).nth(2).innerText()).toContain(category);
      const alt = page.locator('head link[rel="alternate"][type="application/rss+xml"]');
      expect(await alt.getAttribute('href')).toBe(`/${lang}/feedback/rss.xml`);
      expect(await alt.getAttribute('title')).toBe(rss);
    }
    // The text a resident wrote is text, even in a published description.
    expect(await page.getByText('<script>alert(1)</script>', { exact: false }).count()).toBe(1);
    // Järvikylä (Finnish only) has its own feed.
    await visit(page, `${e2e.origin(HOST_B)}/fi/feedback`);
    expect(await feedItems(page).count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('Järvikylän kuoppa');
    expect(outside).toEqual([]);
  });

  test('keyboard only: to the map view and back; the map has a marker per located item and the list the same items', async () => {
    const page = await localPage();
    await visit(page, `${e2e.origin()}/fi/feedback`);
    await tabTo(page, 'Kartta');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${e2e.origin()}/fi/feedback?view=map`);
    await page.locator('.feedback-map:not([hidden])').waitFor();
    await page.locator('.map-marker').first().waitFor();
    await expectAccessible(page);
    expect(await page.getByRole('link', { name: 'Kartta' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByRole('region', { name: 'Kartta tämän sivun palautteista' }).count()).toBe(1);

    // Equivalence: every marker names an item of the list; the list also has the item without a location.
    const markerTitles = await page.locator('.map-marker').evaluateAll((els) => els.map((e) => e.getAttribute('title')));
    expect(markerTitles).toHaveLength(2);
    const headings = await feedItems(page).locator('h3').allInnerTexts();
    expect(headings).toHaveLength(3);
    for (const title of markerTitles) expect(headings.map((h) => h.replace(/\s+/g, ' '))).toContain(title);
    expect(await page.getByText('Alla oleva lista sisältää samat palautteet kuin kartta').count()).toBe(1);
    const praise = feedItems(page).filter({ hasText: 'Kiitos kirjaston' });
    expect(await praise.innerText()).toContain('Ei sijaintia kartalla');
    expect(tileRequests).toBeGreaterThan(0);

    // A marker is reachable and opens its case with Enter.
    const marker = page.locator('.map-marker').first();
    await marker.focus();
    expect((await focused(page))?.visibleFocus).toBe(true);

    // Back to the list with the keyboard.
    await tabTo(page, 'Lista', true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${e2e.origin()}/fi/feedback`);
    await expectAccessible(page);
    expect(await page.getByRole('link', { name: 'Lista' }).getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.feedback-map').count()).toBe(0);
    await screenshot(page, 'feedback-feed-list-desktop');
    expect(outside).toEqual([]);
  });

  test('a marker opens its case page; the case page in fi, sv and en; a 404 for an unpublished number', async () => {
    const page = await localPage();
    await visit(page, `${e2e.origin()}/fi/feedback?view=map`);
    await page.locator('.map-marker').first().waitFor();
    await screenshot(page, 'feedback-feed-map-desktop');
    const title = await page.locator('.map-marker').first().getAttribute('title');
    await page.locator('.map-marker').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/fi\/feedback\/\d+$/);
    await expectAccessible(page);
    expect((await page.getByRole('heading', { level: 1 }).innerText()).replace(/\s+/g, ' ')).toBe(title);

    await visit(page, `${e2e.origin()}/fi/feedback/${num.pothole}`);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Syvä kuoppa pyörätiellä');
    expect(main).toContain('Kuoppa paikattiin 3.11.');
    expect(main).toContain('Ratkaistu');
    expect(main).toContain('Hämeenkatu 10');
    expect(main).not.toContain('e2e.asukas@example.com');
    expect(main).not.toContain('Alkuperäinen');
    expect(await page.getByRole('link', { name: 'Näytä sijainti OpenStreetMapissa' }).getAttribute('href')).toContain('mlat=61.49810');
    await screenshot(page, 'feedback-case-desktop');
    await visit(page, `${e2e.origin()}/sv/feedback/${num.pothole}`);
    expect(await page.locator('main').innerText()).toContain('Löst');
    await visit(page, `${e2e.origin()}/en/feedback/${num.praise}`);
    expect(await page.locator('main').innerText()).toContain('No answer has been published yet.');
    await visit(page, `${e2e.origin()}/fi/feedback/987654`, { status: 404 });
    await visit(page, `${e2e.origin()}/fi/feedback?category=street-light&view=map`);
    await visit(page, `${e2e.origin()}/fi/feedback?category=street-light`);
    expect(outside).toEqual([]);
  });

  test('with JavaScript off: filter by category, switch views, page to a case', async () => {
    const page = await localPage({ javaScriptEnabled: false });
    const o = e2e.origin();
    // visit()'s hydration wait and axe need scripts in the page; these URLs pass axe with JavaScript on above.
    expect((await page.goto(`${o}/fi/feedback`))?.status()).toBe(200);
    await page.getByLabel('Aihe').selectOption('street-light');
    await page.getByRole('button', { name: 'Näytä' }).click();
    await page.waitForURL(`${o}/fi/feedback?category=street-light`);
    expect(await feedItems(page).count()).toBe(1);
    await page.getByRole('link', { name: 'Kartta' }).click();
    await page.waitForURL(`${o}/fi/feedback?category=street-light&view=map`);
    // No map without JavaScript: the page says so, and the list is all there.
    expect(await page.locator('.feedback-map-canvas').isVisible()).toBe(false);
    // (Chromium's script switch leaves <noscript> unparsed, so its text is read, not its box.)
    expect(await page.locator('.feedback-map-view noscript').textContent()).toContain('Kartta tarvitsee JavaScriptin.');
    expect(await feedItems(page).count()).toBe(1);
    // The filter keeps the map view.
    await page.getByLabel('Aihe').selectOption('');
    await page.getByRole('button', { name: 'Näytä' }).click();
    await page.waitForURL(`${o}/fi/feedback?view=map&category=`);
    expect(await feedItems(page).count()).toBe(3);
    await feedItems(page).first().locator('h3 a').click();
    await page.waitForURL(`${o}/fi/feedback/${num.light}`);
    expect(await page.locator('main').innerText()).toContain('Valot vaihdetaan viikolla 46.');
    expectNoBrowserErrors(page, 'no-JS feedback pages');
    expect(outside).toEqual([]);
  });

  test('320 px wide: no horizontal scrolling in either view or on the case page', async () => {
    const narrow = await localPage({ viewport: { width: 320, height: 720 } });
    for (const path of ['/fi/feedback', '/sv/feedback?view=map', `/en/feedback/${num.pothole}`, '/fi/feedback?view=map']) {
      await visit(narrow, e2e.origin() + path);
      if (path.includes('view=map')) await narrow.locator('.map-marker').first().waitFor();
      await expectNoHorizontalScroll(narrow);
    }
    await screenshot(narrow, 'feedback-feed-map-320');
    await visit(narrow, `${e2e.origin()}/fi/feedback`);
    await screenshot(narrow, 'feedback-feed-list-320');
    await visit(narrow, `${e2e.origin()}/fi/feedback/${num.pothole}`);
    await screenshot(narrow, 'feedback-case-320');
    expect(outside).toEqual([]);
  });
});

/** Presses Tab (or Shift+Tab) until the link with this text has focus; fails after 60 presses. */
async function tabTo(page: Page, text: string, backwards = false) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f?.tag === 'a' && f.text === text) {
      expect(f.visibleFocus, `visible focus on ${text}`).toBe(true);
      return;
    }
  }
  throw new Error(`Tab never reached the link "${text}"`);
}
